package dev.imagegateway.batch;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What one sweep did; the answer of a scheduled invocation (shown by {@code sam local invoke}).
 *
 * @param jobsFinished jobs whose results were written in this run and that moved to {@code batches/done/}
 * @param linesAnswered lines of the jobs finished in this run: each has its line in the results (a job
 *        too large for a batch counts none, its lines were not answered). The lines themselves run on
 *        the Batch API's workers, between runs.
 * @param jobsLeft jobs still pending: their batch is still running, or the deadline came first
 * @param jobsSkipped every object under {@code batches/pending/} whose lines will never be run, and why:
 *        keys that name no job (moved to {@code batches/refused/}) and jobs larger than one batch takes
 *        (finished with one error line, so also in {@code jobsFinished})
 */
public record SweepReport(
        @JsonProperty("jobs_finished") List<String> jobsFinished,
        @JsonProperty("lines_answered") int linesAnswered,
        @JsonProperty("jobs_left") List<String> jobsLeft,
        @JsonProperty("jobs_skipped") List<SkippedJob> jobsSkipped) {

    /** One pending object the sweep did not run: its key in the bucket and the reason, in words. */
    public record SkippedJob(@JsonProperty("key") String key, @JsonProperty("reason") String reason) {
    }
}
