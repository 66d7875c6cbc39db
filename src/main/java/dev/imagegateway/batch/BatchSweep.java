package dev.imagegateway.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegateway.batch.SweepReport.SkippedJob;
import dev.imagegateway.config.GatewayConfig;
import dev.imagegateway.storage.S3Clients;
import io.quarkus.arc.Unremovable;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One run of the scheduled batch sweep: every pending job, line by line, until the Lambda deadline.
 *
 * <ul>
 * <li>Idempotent: each answer is written as soon as its line is done, and a line that has an answer is
 * never run again, so a retried or repeated run spends nothing twice.</li>
 * <li>Deadline-aware: a line is only started while one upstream call plus
 * {@code images.batch.deadline-margin} still fits; the rest waits for the next run, and nothing is lost.</li>
 * <li>A job with an answer for every line gets its results file and moves to {@code batches/done/},
 * only while that finishing still fits before the deadline; then its answers are deleted, and answers
 * a cut-off run left behind are deleted by the next.</li>
 * <li>Nothing pending is ignored in silence: the report names every object it will not run, and why.</li>
 * </ul>
 * Failures of the bucket itself are not caught: the invocation fails, loudly, and the next run resumes.
 */
@ApplicationScoped
@Unremovable // looked up by the Lambda entry, injected nowhere; the build would otherwise remove it
public class BatchSweep {

    /** S3 calls of finishing a job: the results, the copy to done/, the delete from pending/. */
    private static final int FINISH_CALLS = 3;

    private final BatchFiles files;
    private final BatchLines lines;
    private final ObjectMapper mapper;
    private final long lineReserveMillis;
    private final long finishReserveMillis;
    private final long cleanupReserveMillis;
    private final long marginMillis;
    private final int maxJobBytes;

    public BatchSweep(BatchFiles files, BatchLines lines, ObjectMapper mapper, GatewayConfig config) {
        this.files = files;
        this.lines = lines;
        this.mapper = mapper;
        this.marginMillis = config.batch().deadlineMargin().toMillis();
        this.lineReserveMillis = config.upstream().timeout().toMillis() + marginMillis;
        // Each S3 call ends, or fails, within CALL_TIMEOUT (retries included), so finishing started with
        // this much left is never cut off by Lambda half-way; the margin alone is less than one slow call.
        long callMillis = S3Clients.CALL_TIMEOUT.toMillis();
        this.finishReserveMillis = FINISH_CALLS * callMillis + marginMillis;
        this.cleanupReserveMillis = callMillis + marginMillis;
        this.maxJobBytes = config.batch().maxJobBytes();
    }

    public SweepReport run(RemainingTime deadline) {
        List<String> finished = new ArrayList<>();
        List<String> left = new ArrayList<>();
        List<SkippedJob> skipped = new ArrayList<>();
        List<String> jobIds = new ArrayList<>();
        for (String key : files.pendingKeys()) {
            BatchFiles.jobIdOf(key).ifPresentOrElse(jobIds::add, () -> skipped.add(refuse(key, deadline)));
        }
        deleteAnswersOfFinishedJobs(jobIds, deadline);
        int answered = 0;
        for (String jobId : jobIds) {
            if (!left.isEmpty() || deadline.remainingMillis() < Math.min(lineReserveMillis, finishReserveMillis)) {
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
            if (run.skipped != null) {
                skipped.add(run.skipped);
            }
        }
        Log.infof("Batch sweep: %d lines answered, jobs finished %s, jobs left for the next run %s, skipped %s",
                answered, finished, left, skipped);
        return new SweepReport(finished, answered, left, skipped);
    }

    /** {@code skipped} is set when the job's lines will never be answered. */
    private record JobRun(boolean finished, int answered, SkippedJob skipped) {
    }

    /**
     * Moves a key that names no job out of {@code pending/}: left there, it would be skipped on every run
     * with nobody reading the report (a scheduled invocation's answer goes nowhere); in {@code refused/}
     * the bucket itself says what happened, and the operator renames it and puts it back.
     */
    private SkippedJob refuse(String key, RemainingTime deadline) {
        String reason = "Not a job: " + BatchFiles.JOB_KEY_RULE;
        if (deadline.remainingMillis() < finishReserveMillis) {
            return new SkippedJob(key, reason + ". Left in place for now; a later run moves it to "
                    + BatchFiles.REFUSED + ".");
        }
        String refused = files.refuse(key, reason + ".");
        Log.warnf("%s is not a job, moved to %s: %s", key, refused, reason);
        return new SkippedJob(key, reason + ". Moved to " + refused + ", the reason in its refused-reason metadata.");
    }

    private JobRun runJob(String jobId, RemainingTime deadline) {
        if (files.jobSize(jobId) > maxJobBytes) {
            return finishTooLarge(jobId, deadline);
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
                return new JobRun(false, answeredNow, null);
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
        // Reading earlier runs' answers only makes sense if the writes can follow; nothing is written yet.
        ByteArrayOutputStream results = new ByteArrayOutputStream();
        for (JobLine line : jobLines) {
            byte[] answer = answers.get(line.number());
            if (answer == null) {
                if (!finishFits(jobId, deadline)) {
                    return new JobRun(false, answeredNow, null);
                }
                answer = files.read(answeredKeys.get(line.number()));
            }
            results.writeBytes(answer);
        }
        if (!finishFits(jobId, deadline)) {
            return new JobRun(false, answeredNow, null);
        }
        files.finish(jobId, results.toByteArray());
        Log.infof("Job %s finished: %d lines", jobId, jobLines.size());
        deleteAnswers(jobId, deadline);
        return new JobRun(true, answeredNow, null);
    }

    private JobRun finishTooLarge(String jobId, RemainingTime deadline) {
        SkippedJob skipped = new SkippedJob(BatchFiles.PENDING + jobId + ".jsonl", "Larger than"
                + " images.batch.max-job-bytes (" + maxJobBytes + " bytes): its lines are not run; its results are"
                + " one job_too_large error line in " + BatchFiles.RESULTS + jobId + ".jsonl.");
        if (!finishFits(jobId, deadline)) {
            return new JobRun(false, 0, skipped);
        }
        Log.warnf("Job %s is over images.batch.max-job-bytes (%d); finished with one error line", jobId, maxJobBytes);
        BatchResultLine tooLarge = new BatchResultLine("batch_req_" + jobId, null, null, new BatchResultLine.Error(
                "job_too_large", "The job file is larger than " + maxJobBytes + " bytes; split it into smaller jobs."));
        files.finish(jobId, jsonLine(tooLarge));
        deleteAnswers(jobId, deadline);
        return new JobRun(true, 0, skipped);
    }

    private boolean finishFits(String jobId, RemainingTime deadline) {
        if (deadline.remainingMillis() < finishReserveMillis) {
            Log.infof("Job %s: every line answered, finishing left for the next run, the deadline is near", jobId);
            return false;
        }
        return true;
    }

    /** Answers of finished jobs that a run cut off before deleting them; they are never read again. */
    private void deleteAnswersOfFinishedJobs(List<String> pendingJobIds, RemainingTime deadline) {
        Set<String> pending = Set.copyOf(pendingJobIds);
        for (String jobId : files.jobIdsWithAnswers()) {
            if (!pending.contains(jobId) && files.isDone(jobId) && !deleteAnswers(jobId, deadline)) {
                return;
            }
        }
    }

    /** Deletes a finished job's answers; false if the deadline came first and the next run must go on. */
    private boolean deleteAnswers(String jobId, RemainingTime deadline) {
        List<String> keys = List.copyOf(files.answeredLineKeys(jobId).values());
        for (int from = 0; from < keys.size(); from += BatchFiles.DELETE_BATCH) {
            if (deadline.remainingMillis() < cleanupReserveMillis) {
                Log.infof("Job %s: its answers are deleted by the next run, the deadline is near", jobId);
                return false;
            }
            files.deleteAnswers(keys.subList(from, Math.min(keys.size(), from + BatchFiles.DELETE_BATCH)));
        }
        return true;
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
}
