package dev.imagegateway.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegateway.batch.engine.BatchObject;
import dev.imagegateway.batch.engine.BatchStatus;
import dev.imagegateway.files.FileStore;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * Writes {@code batches/results/{job-id}.jsonl} once a job's batch is finished: one line per job line, in
 * the job's order. The job is read again and each line checked as when it was copied: a line that was
 * not a batch request gets its error line here; a batch request gets its result from the batch's output
 * or error file. Both files are in the input file's order, which is the order of the job's batch
 * requests, and their custom_ids are unique, so the next line of one of the two is always the one
 * sought: three streams, one line of each held at a time.
 */
@ApplicationScoped
public class JobResults {

    /** A batch's result line holds the route's whole answer: room for the largest, and then some. */
    private static final int RESULT_LINE_BYTES = 64 * 1024 * 1024;

    private final BatchFiles jobs;
    private final FileStore files;
    private final BatchLines lines;
    private final ObjectMapper mapper;

    public JobResults(BatchFiles jobs, FileStore files, BatchLines lines, ObjectMapper mapper) {
        this.jobs = jobs;
        this.files = files;
        this.lines = lines;
        this.mapper = mapper;
    }

    /**
     * Writes the job's results and returns their number of lines; -1, and nothing written, if
     * {@code timeLeft} said stop before the end.
     *
     * @param batch the job's finished batch; null when the job had no batch request to run
     */
    int write(String jobId, BatchObject batch, BooleanSupplier timeLeft) {
        BatchFiles.ResultsWriter out = jobs.writeResults(jobId);
        int count = 0;
        Set<String> customIds = new HashSet<>();
        try (JsonlReader job = new JsonlReader(jobs.openJob(jobId), BatchLines.JOB_LINE_BYTES);
                ResultStream output = stream(batch == null ? null : batch.outputFileId());
                ResultStream errors = stream(batch == null ? null : batch.errorFileId())) {
            for (JobLine line = job.next(); line != null; line = job.next()) {
                if (!timeLeft.getAsBoolean()) {
                    out.abort();
                    return -1;
                }
                BatchLines.Checked checked = lines.check(line, customIds);
                byte[] result;
                if (checked.error() != null) {
                    result = jsonLine(new BatchResultLine(lineId(jobId, line), checked.customId(), null,
                            checked.error()));
                } else {
                    result = output.take(checked.customId());
                    if (result == null) {
                        result = errors.take(checked.customId());
                    }
                    if (result == null) {
                        result = jsonLine(new BatchResultLine(lineId(jobId, line), checked.customId(), null,
                                noResult(batch)));
                    }
                }
                out.write(result);
                count++;
            }
            out.finish();
        } catch (RuntimeException e) {
            out.abort();
            throw e;
        }
        return count;
    }

    /** Results of a job too large for one batch: one error line. */
    void writeTooLarge(String jobId) {
        BatchFiles.ResultsWriter out = jobs.writeResults(jobId);
        out.write(jsonLine(new BatchResultLine("batch_req_" + jobId, null, null, new BatchResultLine.Error(
                "job_too_large", "The job has more lines or bytes than one batch takes (" + BatchSweep.LIMITS
                        + "); split it into smaller jobs."))));
        out.finish();
    }

    /**
     * A batch request the batch gave no result: it failed (its input file was refused, or its start was
     * dead-lettered), or was cancelled or expired before it had counted its lines.
     */
    private static BatchResultLine.Error noResult(BatchObject batch) {
        String status = batch == null ? null : batch.status();
        if (BatchStatus.FAILED.equals(status)) {
            String why = batch.errors() == null || batch.errors().data().isEmpty() ? "no reason given"
                    : batch.errors().data().get(0).message();
            return new BatchResultLine.Error("batch_failed", "The job's batch " + batch.id() + " failed: " + why);
        }
        if (BatchStatus.CANCELLED.equals(status)) {
            return new BatchResultLine.Error("batch_cancelled", "The job's batch was cancelled before this line ran.");
        }
        if (BatchStatus.EXPIRED.equals(status)) {
            return new BatchResultLine.Error("batch_expired", "The job's batch expired before this line ran.");
        }
        return new BatchResultLine.Error("missing_result", "The job's batch ended without a result for this line.");
    }

    /** The same line of the same job always gets the same id: results written again are the same bytes. */
    private static String lineId(String jobId, JobLine line) {
        return "batch_req_" + UUID.nameUUIDFromBytes((jobId + "\n" + line.number()).getBytes(StandardCharsets.UTF_8))
                .toString().replace("-", "");
    }

    private ResultStream stream(String fileId) {
        return new ResultStream(fileId == null ? null : files.open(BatchSweep.OWNER, fileId));
    }

    /** One JSON object and a newline: a JSONL line. */
    private byte[] jsonLine(BatchResultLine result) {
        try {
            byte[] json = mapper.writeValueAsBytes(result);
            byte[] line = Arrays.copyOf(json, json.length + 1);
            line[json.length] = '\n';
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An output or error file of the batch, read one line ahead. */
    private final class ResultStream implements AutoCloseable {
        private final JsonlReader reader;
        private JobLine head;
        private String headCustomId;

        ResultStream(InputStream content) {
            this.reader = content == null ? null : new JsonlReader(content, RESULT_LINE_BYTES);
            advance();
        }

        /** The next line, with its newline, if it is {@code customId}'s result; else null, and nothing read. */
        byte[] take(String customId) {
            if (head == null || !customId.equals(headCustomId)) {
                return null;
            }
            byte[] line = Arrays.copyOf(head.bytes(), head.bytes().length + 1);
            line[head.bytes().length] = '\n';
            advance();
            return line;
        }

        /**
         * Reads the next line that names its custom_id. One without (an older version wrote a dead-lettered
         * line whose input it could not read so) matches no job line; held as the head, it would hide
         * every line after it, so it is passed over and its job line is answered as one without a result
         * ({@link #noResult}: {@code missing_result}, or what the batch's status says).
         */
        private void advance() {
            for (;;) {
                head = reader == null ? null : reader.next();
                if (head == null) {
                    return;
                }
                if (head.bytes() == null) {
                    throw new IllegalStateException("A result line of the batch is longer than " + RESULT_LINE_BYTES
                            + " bytes");
                }
                try {
                    JsonNode customId = mapper.readTree(head.bytes()).get("custom_id");
                    headCustomId = customId == null ? null : customId.asText(null);
                } catch (IOException e) {
                    throw new UncheckedIOException("A result line of the batch is not JSON", e);
                }
                if (headCustomId != null) {
                    return;
                }
                Log.warn("A result line of the batch has no custom_id; its job line is answered as one without a result");
            }
        }

        @Override
        public void close() {
            if (reader != null) {
                reader.close();
            }
        }
    }
}
