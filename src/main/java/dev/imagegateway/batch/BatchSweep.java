package dev.imagegateway.batch;

import dev.imagegateway.batch.SweepReport.SkippedJob;
import dev.imagegateway.batch.engine.BatchEndpoints;
import dev.imagegateway.batch.engine.BatchObject;
import dev.imagegateway.batch.engine.BatchRequests;
import dev.imagegateway.batch.engine.BatchStatus;
import dev.imagegateway.batch.engine.BatchStore;
import dev.imagegateway.config.GatewayConfig;
import dev.imagegateway.files.FileStore;
import dev.imagegateway.storage.S3Clients;
import io.quarkus.arc.Unremovable;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One run of the scheduled batch sweep: every job under {@code batches/pending/} becomes a batch on the
 * Batch API's engine, and every job whose batch has finished gets its results and moves to
 * {@code batches/done/}. The lines run on the engine's workers, not here, so a job of any size that one
 * batch takes completes, whatever the sweep's own deadline.
 *
 * <ul>
 * <li>One batch per job, whatever is repeated or cut off. The job's {@link JobBatch} — the batch id and
 * input file id, chosen before either exists — is written with {@code If-None-Match: *} before anything
 * else, and every later step uses those ids: the input file is written again under its id, the batch
 * record is created with {@code If-None-Match: *} under its id. A second run, or a run after a cut, finds
 * the record and goes on from where the bucket says the job is; it never chooses a new id.</li>
 * <li>The start message is sent after the batch record exists, and then {@link JobBatch#started()} is
 * recorded. A run cut between the two sends it again, but only while the batch is still
 * {@code validating}; the engine takes a start delivered twice.</li>
 * <li>Deadline-aware: each step starts only while the S3 calls it makes, at most
 * {@link S3Clients#CALL_TIMEOUT} each, plus {@code images.batch.deadline-margin} fit; copying a job and
 * writing its results go on line by line only while the calls still to come fit, and are otherwise
 * dropped and done again by the next run. Every step is repeatable.</li>
 * <li>Nothing pending is ignored in silence: the report names every object it will not run, and why.</li>
 * </ul>
 * Failures of the bucket or the queue are not caught: the invocation fails, loudly, and the next run
 * resumes.
 */
@ApplicationScoped
@Unremovable // looked up by the Lambda entry, injected nowhere; the build would otherwise remove it
public class BatchSweep {

    /**
     * The owner of the sweep's input files and batches: the first 32 hex characters of the SHA-256 of a
     * fixed name. A gateway key's owner is the first 32 of a SHA-256 of the key's hash, so a key would
     * have to be found whose double hash starts with these 128 bits: no key gets to see these batches.
     */
    public static final String OWNER = ownerOf("image-gateway scheduled batch sweep");
    static final String INPUT_PURPOSE = "batch";
    /** What one batch takes, in words. */
    static final String LIMITS = "50,000 lines, 200 MB";

    /** S3 calls of looking at a job: its batch record and the batch. */
    private static final int LOOK_CALLS = 2;
    /**
     * Calls of the largest step of starting a job: the input file's last part, its completion and its
     * file object; creating the batch (the file read, the record, a read after a lost answer); sending
     * the start (an SQS call, shorter) and recording it. Each step is checked again before it starts.
     */
    private static final int START_CALLS = 4;
    /**
     * Calls of finishing a job after each line of its results: the part in flight and the completion;
     * then the copy to done/, the delete from pending/, the list and delete of its progress.
     */
    private static final int FINISH_CALLS = 4;

    private final BatchFiles jobs;
    private final FileStore files;
    private final JobInput input;
    private final JobResults results;
    private final BatchRequests requests;
    private final BatchStore batches;
    private final long callMillis;
    private final long marginMillis;

    public BatchSweep(BatchFiles jobs, FileStore files, JobInput input, JobResults results, BatchRequests requests,
            BatchStore batches, GatewayConfig config) {
        this.jobs = jobs;
        this.files = files;
        this.input = input;
        this.results = results;
        this.requests = requests;
        this.batches = batches;
        this.callMillis = S3Clients.CALL_TIMEOUT.toMillis();
        this.marginMillis = config.batch().deadlineMargin().toMillis();
    }

    public SweepReport run(RemainingTime deadline) {
        List<String> finished = new ArrayList<>();
        List<String> left = new ArrayList<>();
        List<SkippedJob> skipped = new ArrayList<>();
        List<String> jobIds = new ArrayList<>();
        for (String key : jobs.pendingKeys()) {
            BatchFiles.jobIdOf(key).ifPresentOrElse(jobIds::add, () -> skipped.add(refuse(key, deadline)));
        }
        deleteProgressOfFinishedJobs(jobIds, deadline);
        int answered = 0;
        for (String jobId : jobIds) {
            JobRun run = fits(LOOK_CALLS, deadline) ? runJob(jobId, deadline) : WAITING;
            if (run.skipped() != null) {
                skipped.add(run.skipped());
            }
            if (run.answered() >= 0) {
                finished.add(jobId);
                answered += run.answered();
            } else {
                left.add(jobId);
            }
        }
        Log.infof("Batch sweep: jobs finished %s (%d lines), jobs left for a later run %s, skipped %s", finished,
                answered, left, skipped);
        return new SweepReport(finished, answered, left, skipped);
    }

    /**
     * What became of one job in this run: {@code answered} is the number of its lines that got their
     * results when it finished now, -1 while it waits; {@code skipped} is set when its lines are never run.
     */
    private record JobRun(int answered, SkippedJob skipped) {
    }

    private static final JobRun WAITING = new JobRun(-1, null);

    /**
     * Moves a key that names no job out of {@code pending/}: left there, it would be skipped on every run
     * with nobody reading the report (a scheduled invocation's answer goes nowhere); in {@code refused/}
     * the bucket itself says what happened, and the operator renames it and puts it back.
     */
    private SkippedJob refuse(String key, RemainingTime deadline) {
        String reason = "Not a job: " + BatchFiles.JOB_KEY_RULE;
        if (!fits(2, deadline)) {
            return new SkippedJob(key, reason + ". Left in place for now; a later run moves it to "
                    + BatchFiles.REFUSED + ".");
        }
        String refused = jobs.refuse(key, reason + ".");
        Log.warnf("%s is not a job, moved to %s: %s", key, refused, reason);
        return new SkippedJob(key, reason + ". Moved to " + refused + ", the reason in its refused-reason metadata.");
    }

    private JobRun runJob(String jobId, RemainingTime deadline) {
        Optional<JobBatch> recorded = jobs.findBatch(jobId);
        if (recorded.isEmpty()) {
            if (jobs.jobSize(jobId) > BatchEndpoints.MAX_INPUT_BYTES) {
                return finishTooLarge(jobId, deadline);
            }
            if (!fits(START_CALLS, deadline)) {
                return WAITING;
            }
            // The ids come first, in a record only the first writer creates: see the class comment.
            recorded = Optional.of(jobs.createBatch(new JobBatch(jobId, requests.newId(), files.newId(), false)));
        }
        JobBatch job = recorded.get();
        Optional<BatchObject> batch = batches.find(OWNER, job.batchId()).map(found -> found.record().batch());
        if (batch.isEmpty()) {
            if (!fits(START_CALLS, deadline)) {
                return WAITING;
            }
            if (files.find(OWNER, job.inputFileId()).isEmpty()) {
                JobInput.Copied copied = input.copy(job, () -> fits(START_CALLS, deadline));
                if (copied == null) {
                    Log.infof("Job %s: copying it is left for the next run, the deadline is near", jobId);
                    return WAITING;
                }
                if (copied.tooLarge()) {
                    return finishTooLarge(jobId, deadline);
                }
                if (copied.batchLines() == 0) {
                    Log.infof("Job %s: none of its %d lines is a batch request; answered without a batch", jobId,
                            copied.lines());
                    return finish(jobId, null, deadline);
                }
            }
            if (!fits(3, deadline)) {
                return WAITING;
            }
            batch = Optional.of(requests.register(OWNER, job.batchId(), new BatchRequests.Create(job.inputFileId(),
                    BatchEndpoints.GENERATIONS, BatchEndpoints.COMPLETION_WINDOW, Map.of("job", jobId))));
            Log.infof("Job %s: batch %s created", jobId, job.batchId());
        }
        if (!job.started()) {
            if (!fits(2, deadline)) {
                return WAITING;
            }
            if (BatchStatus.VALIDATING.equals(batch.get().status())) {
                requests.sendStart(OWNER, job.batchId());
            }
            jobs.saveBatch(job.asStarted());
        }
        if (!BatchStatus.isTerminal(batch.get().status())) {
            return WAITING;
        }
        return finish(jobId, batch.get(), deadline);
    }

    /**
     * Writes the results, moves the job to done/, and deletes its batch record; null batch: none ran. The
     * results are written while the calls that follow them still fit; otherwise they are dropped and the
     * next run writes them again.
     */
    private JobRun finish(String jobId, BatchObject batch, RemainingTime deadline) {
        int lines = fits(FINISH_CALLS, deadline) ? results.write(jobId, batch, () -> fits(FINISH_CALLS, deadline)) : -1;
        if (lines < 0) {
            Log.infof("Job %s: finishing left for the next run, the deadline is near", jobId);
            return WAITING;
        }
        jobs.moveToDone(jobId);
        jobs.deleteProgress(jobId);
        Log.infof("Job %s finished: %d lines%s", jobId, lines, batch == null ? ""
                : ", batch " + batch.id() + " "
                        + batch.status());
        return new JobRun(lines, null);
    }

    private JobRun finishTooLarge(String jobId, RemainingTime deadline) {
        SkippedJob skipped = new SkippedJob(BatchFiles.PENDING + jobId + ".jsonl", "Larger than one batch takes ("
                + LIMITS + "): its lines are not run; its results are one job_too_large error line in "
                + BatchFiles.RESULTS + jobId + ".jsonl.");
        if (!fits(FINISH_CALLS, deadline)) {
            return new JobRun(-1, skipped);
        }
        Log.warnf("Job %s is larger than one batch takes (%s); finished with one error line", jobId, LIMITS);
        results.writeTooLarge(jobId);
        jobs.moveToDone(jobId);
        jobs.deleteProgress(jobId);
        return new JobRun(0, skipped);
    }

    /** Progress of finished jobs that a run cut off before deleting it; it is never read again. */
    private void deleteProgressOfFinishedJobs(List<String> pendingJobIds, RemainingTime deadline) {
        Set<String> pending = Set.copyOf(pendingJobIds);
        for (String jobId : jobs.jobIdsWithProgress()) {
            if (!fits(3, deadline)) {
                return;
            }
            if (!pending.contains(jobId) && jobs.isDone(jobId)) {
                jobs.deleteProgress(jobId);
            }
        }
    }

    /** Whether {@code calls} S3 calls and the margin fit in what is left of the invocation. */
    private boolean fits(long calls, RemainingTime deadline) {
        return deadline.remainingMillis() >= calls * callMillis + marginMillis;
    }

    private static String ownerOf(String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
