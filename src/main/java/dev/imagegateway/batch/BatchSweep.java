package dev.imagegateway.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegateway.config.GatewayConfig;
import dev.imagegateway.storage.BatchFiles;
import io.quarkus.arc.Unremovable;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One run of the scheduled batch sweep: every pending job, line by line, until the Lambda deadline.
 *
 * <ul>
 * <li>Idempotent: each answer is written as soon as its line is done, and a line that has an answer is
 * never run again, so a retried or repeated run spends nothing twice.</li>
 * <li>Deadline-aware: a line is only started while one upstream call plus
 * {@code images.batch.deadline-margin} still fits; the rest waits for the next run, and nothing is lost.</li>
 * <li>A job with an answer for every line gets its results file and moves to {@code batches/done/}.</li>
 * </ul>
 * Failures of the bucket itself are not caught: the invocation fails, loudly, and the next run resumes.
 */
@ApplicationScoped
@Unremovable // looked up by the Lambda entry, injected nowhere; the build would otherwise remove it
public class BatchSweep {

    private final BatchFiles files;
    private final BatchLines lines;
    private final ObjectMapper mapper;
    private final long lineReserveMillis;
    private final long marginMillis;
    private final int maxJobBytes;

    public BatchSweep(BatchFiles files, BatchLines lines, ObjectMapper mapper, GatewayConfig config) {
        this.files = files;
        this.lines = lines;
        this.mapper = mapper;
        this.marginMillis = config.batch().deadlineMargin().toMillis();
        this.lineReserveMillis = config.upstream().timeout().toMillis() + marginMillis;
        this.maxJobBytes = config.batch().maxJobBytes();
    }

    public SweepReport run(RemainingTime deadline) {
        List<String> finished = new ArrayList<>();
        List<String> left = new ArrayList<>();
        int answered = 0;
        for (String jobId : files.pendingJobIds()) {
            if (!left.isEmpty() || deadline.remainingMillis() < marginMillis) {
                left.add(jobId);
                continue;
            }
            JobRun run = runJob(jobId, deadline);
            answered += run.answered;
            if (run.finished) {
                finished.add(jobId);
            } else {
                left.add(jobId);
            }
        }
        Log.infof("Batch sweep: %d lines answered, jobs finished %s, jobs left for the next run %s", answered,
                finished, left);
        return new SweepReport(finished, answered, left);
    }

    private record JobRun(boolean finished, int answered) {
    }

    private JobRun runJob(String jobId, RemainingTime deadline) {
        if (files.jobSize(jobId) > maxJobBytes) {
            Log.warnf("Job %s is over images.batch.max-job-bytes (%d); finished with one error line", jobId, maxJobBytes);
            BatchResultLine tooLarge = new BatchResultLine("batch_req_" + jobId, null, null, new BatchResultLine.Error(
                    "job_too_large", "The job file is larger than " + maxJobBytes + " bytes; split it into smaller jobs."));
            files.finish(jobId, jsonLine(tooLarge));
            return new JobRun(true, 0);
        }
        List<JobLine> jobLines = JobLine.split(files.readJob(jobId));
        Map<Integer, String> answeredKeys = files.answeredLineKeys(jobId);
        Map<Integer, byte[]> answers = new HashMap<>();
        Map<String, Integer> firstLineOf = new HashMap<>();
        for (JobLine line : jobLines) {
            lines.customIdOf(line.bytes()).ifPresent(id -> firstLineOf.putIfAbsent(id, line.number()));
        }
        int answeredNow = 0;
        for (JobLine line : jobLines) {
            if (answeredKeys.containsKey(line.number())) {
                continue;
            }
            if (deadline.remainingMillis() < lineReserveMillis) {
                Log.infof("Job %s: stopping before line %d, the deadline is near", jobId, line.number());
                return new JobRun(false, answeredNow);
            }
            Optional<String> customId = lines.customIdOf(line.bytes());
            boolean duplicate = customId.isPresent() && firstLineOf.get(customId.get()) != line.number();
            BatchResultLine result = lines.answer(line.bytes(), duplicate);
            byte[] answer = jsonLine(result);
            files.writeAnswer(jobId, line.number(), answer);
            answers.put(line.number(), answer);
            answeredNow++;
            Log.infof("Job %s line %d answered %s", jobId, line.number(),
                    result.response() != null ? String.valueOf(result.response().statusCode()) : result.error().code());
        }
        if (deadline.remainingMillis() < marginMillis) {
            return new JobRun(false, answeredNow);
        }
        ByteArrayOutputStream results = new ByteArrayOutputStream();
        for (JobLine line : jobLines) {
            byte[] answer = answers.get(line.number());
            results.writeBytes(answer != null ? answer : files.read(answeredKeys.get(line.number())));
        }
        files.finish(jobId, results.toByteArray());
        Log.infof("Job %s finished: %d lines", jobId, jobLines.size());
        return new JobRun(true, answeredNow);
    }

    /** One JSON object and a newline: a JSONL line. */
    private byte[] jsonLine(BatchResultLine result) {
        try {
            byte[] json = mapper.writeValueAsBytes(result);
            byte[] line = Arrays.copyOf(json, json.length + 1);
            line[json.length] = '\n';
            return line;
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A non-blank line of a job file and its 1-based line number in that file. */
    record JobLine(int number, byte[] bytes) {

        static List<JobLine> split(byte[] job) {
            List<JobLine> result = new ArrayList<>();
            int start = 0;
            int number = 1;
            for (int i = 0; i <= job.length; i++) {
                if (i == job.length || job[i] == '\n') {
                    int end = i > start && job[i - 1] == '\r' ? i - 1 : i;
                    byte[] bytes = Arrays.copyOfRange(job, start, end);
                    if (!new String(bytes, StandardCharsets.UTF_8).isBlank()) {
                        result.add(new JobLine(number, bytes));
                    }
                    start = i + 1;
                    number++;
                }
            }
            return result;
        }
    }
}
