package dev.imagegateway.batch.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * OpenAI's batch object (openai-python {@code types/batch.py}), as the routes answer it. Every field is
 * written, unset ones as {@code null}, as OpenAI writes them; {@code usage} is the sum of the lines'
 * {@code usage}, null until the batch is finished.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record BatchObject(
        @JsonProperty("id") String id,
        @JsonProperty("object") String object,
        @JsonProperty("endpoint") String endpoint,
        @JsonProperty("input_file_id") String inputFileId,
        @JsonProperty("completion_window") String completionWindow,
        @JsonProperty("status") String status,
        @JsonProperty("output_file_id") String outputFileId,
        @JsonProperty("error_file_id") String errorFileId,
        @JsonProperty("errors") Errors errors,
        @JsonProperty("created_at") long createdAt,
        @JsonProperty("in_progress_at") Long inProgressAt,
        @JsonProperty("expires_at") Long expiresAt,
        @JsonProperty("finalizing_at") Long finalizingAt,
        @JsonProperty("completed_at") Long completedAt,
        @JsonProperty("failed_at") Long failedAt,
        @JsonProperty("expired_at") Long expiredAt,
        @JsonProperty("cancelling_at") Long cancellingAt,
        @JsonProperty("cancelled_at") Long cancelledAt,
        @JsonProperty("request_counts") RequestCounts requestCounts,
        @JsonProperty("metadata") Map<String, String> metadata,
        @JsonProperty("usage") JsonNode usage) {

    public static final String OBJECT = "batch";
    public static final String ID_PREFIX = "batch_";

    /** {@code request_counts}: lines in the input file, and how many have a result of each kind. */
    public record RequestCounts(
            @JsonProperty("total") int total,
            @JsonProperty("completed") int completed,
            @JsonProperty("failed") int failed) {
    }

    /** {@code errors}: why the input file was refused, as OpenAI lists them. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Errors(@JsonProperty("object") String object, @JsonProperty("data") List<LineError> data) {

        public static Errors of(List<LineError> data) {
            return new Errors("list", data);
        }
    }

    /** One problem of the input file; {@code line} is 1-based, {@code param} the line's field, or null. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record LineError(
            @JsonProperty("code") String code,
            @JsonProperty("message") String message,
            @JsonProperty("param") String param,
            @JsonProperty("line") Integer line) {
    }
}
