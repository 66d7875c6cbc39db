package dev.imagegateway.batch;

import dev.imagegateway.batch.engine.BatchEndpoints;
import dev.imagegateway.config.GatewayConfig;
import dev.imagegateway.files.FileStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Copies a job's batch requests into its batch's input file, streaming: the job's lines that
 * {@link BatchLines} accepts, in order, and nothing else (the others are answered by
 * {@link JobResults} itself). Repeatable: the file has the id the job's {@link JobBatch} chose, and
 * becomes visible only once whole.
 */
@ApplicationScoped
public class JobInput {

    private static final byte[] NEWLINE = { '\n' };

    private final BatchFiles jobs;
    private final FileStore files;
    private final BatchLines lines;
    private final Duration expiry;

    public JobInput(BatchFiles jobs, FileStore files, BatchLines lines, GatewayConfig config) {
        this.jobs = jobs;
        this.files = files;
        this.lines = lines;
        this.expiry = config.files().defaultExpiry();
    }

    /**
     * What the copy found: the job's lines and how many went to the file. No file is written when no line
     * is a batch request, or when the job has more lines than one batch takes.
     */
    record Copied(int lines, int batchLines) {

        boolean tooLarge() {
            return lines > BatchEndpoints.MAX_LINES;
        }
    }

    /** Copies the job; null, and nothing written, if {@code timeLeft} said stop before the end. */
    Copied copy(JobBatch batch, BooleanSupplier timeLeft) {
        FileStore.FileWriter writer = files.write(BatchSweep.OWNER, batch.inputFileId(), BatchSweep.INPUT_PURPOSE,
                batch.job() + ".jsonl", expiry);
        int count = 0;
        int copied = 0;
        Set<String> customIds = new HashSet<>();
        try (JsonlReader job = new JsonlReader(jobs.openJob(batch.job()), BatchLines.JOB_LINE_BYTES)) {
            for (JobLine line = job.next(); line != null && count <= BatchEndpoints.MAX_LINES; line = job.next()) {
                if (!timeLeft.getAsBoolean()) {
                    writer.abort();
                    return null;
                }
                count++;
                BatchLines.Checked checked = lines.check(line, customIds);
                if (checked.batchLine() != null && count <= BatchEndpoints.MAX_LINES) {
                    writer.write(checked.batchLine());
                    writer.write(NEWLINE);
                    copied++;
                }
            }
        } catch (RuntimeException e) {
            writer.abort();
            throw e;
        }
        Copied result = new Copied(count, copied);
        if (copied == 0 || result.tooLarge()) {
            writer.abort();
        } else {
            writer.finish();
        }
        return result;
    }
}
