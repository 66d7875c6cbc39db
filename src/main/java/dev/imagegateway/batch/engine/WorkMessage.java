package dev.imagegateway.batch.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One message on the batch work queue; {@code type} says which: {@code start} (validate and enqueue),
 * {@code line} (run line {@code line}, {@code length} bytes at {@code offset} of the input file) or
 * {@code check} (count, and finalize when done, cancelled or expired). {@code priorAttempts} carries the
 * attempts of a line message that was sent again (see {@link LineWorker}), so that sending it again does
 * not reset its count. {@code token} names the start that holds a batch's enqueue lease (see
 * {@link BatchStarter}): a start sent again to go on enqueueing carries it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WorkMessage(
        @JsonProperty("type") String type,
        @JsonProperty("owner") String owner,
        @JsonProperty("batch_id") String batchId,
        @JsonProperty("line") Integer line,
        @JsonProperty("offset") Long offset,
        @JsonProperty("length") Integer length,
        @JsonProperty("prior_attempts") Integer priorAttempts,
        @JsonProperty("token") String token) {

    public static final String START = "start";
    public static final String LINE = "line";
    public static final String CHECK = "check";

    public static WorkMessage start(String owner, String batchId) {
        return new WorkMessage(START, owner, batchId, null, null, null, null, null);
    }

    public static WorkMessage check(String owner, String batchId) {
        return new WorkMessage(CHECK, owner, batchId, null, null, null, null, null);
    }

    public static WorkMessage line(String owner, String batchId, int line, long offset, int length) {
        return new WorkMessage(LINE, owner, batchId, line, offset, length, null, null);
    }

    int attemptsBefore() {
        return priorAttempts == null ? 0 : priorAttempts;
    }

    WorkMessage withPriorAttempts(int attempts) {
        return new WorkMessage(type, owner, batchId, line, offset, length, attempts, token);
    }

    WorkMessage withToken(String holder) {
        return new WorkMessage(type, owner, batchId, line, offset, length, priorAttempts, holder);
    }
}
