package dev.imagegateway.batch;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What one sweep did; the answer of a scheduled invocation (shown by {@code sam local invoke}).
 *
 * @param jobsFinished jobs whose results were written and that moved to {@code batches/done/}
 * @param linesAnswered job lines answered in this run
 * @param jobsLeft jobs still pending because the deadline came first
 */
public record SweepReport(
        @JsonProperty("jobs_finished") List<String> jobsFinished,
        @JsonProperty("lines_answered") int linesAnswered,
        @JsonProperty("jobs_left") List<String> jobsLeft) {
}
