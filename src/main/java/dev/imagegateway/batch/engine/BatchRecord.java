package dev.imagegateway.batch.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Consumer;

/**
 * What {@code batches/api/{owner}/{batch_id}/batch.json} holds: the wire object and the engine's own
 * state, which no caller sees.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record BatchRecord(@JsonProperty("batch") BatchObject batch, @JsonProperty("engine") Engine engine) {

    /** One plain mapper: the record is edited as a tree, so that a change names only the fields it sets. */
    static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param lines lines of the input file, once validated
     * @param enqueued lines whose message is on the queue (a redelivered start resumes here)
     * @param outputFileId the output file's id, chosen once when finalizing starts and reused by every
     *        later attempt, so that a repeated finalization rewrites the same file and never makes a new one
     * @param errorFileId likewise for the error file
     * @param finalStatus what finalizing ends in: {@code completed}, {@code cancelled} or {@code expired}
     * @param leaseOwner the start that may validate and enqueue the batch: its message's token, or the SQS
     *        message id of a start without one; any other start is dropped while the lease lasts
     * @param leaseExpiresAt when the lease ends unless its holder renews it (epoch seconds)
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Engine(
            @JsonProperty("lines") int lines,
            @JsonProperty("enqueued") int enqueued,
            @JsonProperty("output_file_id") String outputFileId,
            @JsonProperty("error_file_id") String errorFileId,
            @JsonProperty("final_status") String finalStatus,
            @JsonProperty("lease_owner") String leaseOwner,
            @JsonProperty("lease_expires_at") Long leaseExpiresAt) {
    }

    /** This record with the batch's fields changed by {@code batchEdit} and the engine's by {@code engineEdit}. */
    BatchRecord edited(Consumer<ObjectNode> batchEdit, Consumer<ObjectNode> engineEdit) {
        ObjectNode batchTree = JSON.valueToTree(batch);
        ObjectNode engineTree = JSON.valueToTree(engine);
        batchEdit.accept(batchTree);
        engineEdit.accept(engineTree);
        return new BatchRecord(JSON.convertValue(batchTree, BatchObject.class),
                JSON.convertValue(engineTree, Engine.class));
    }

    BatchRecord editedBatch(Consumer<ObjectNode> batchEdit) {
        return edited(batchEdit, engine -> {
        });
    }

    String status() {
        return batch.status();
    }

    boolean isTerminal() {
        return BatchStatus.isTerminal(batch.status());
    }
}
