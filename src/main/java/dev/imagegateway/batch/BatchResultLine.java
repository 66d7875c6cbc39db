package dev.imagegateway.batch;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One line of {@code batches/results/{job-id}.jsonl}, in the OpenAI Batch output shape. A request that
 * was run has a {@code response} with the status and body the endpoint would have answered (an OpenAI
 * error envelope for failures); a line that is not a valid batch request has an {@code error} instead.
 * Absent parts are explicit nulls, as OpenAI writes them.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record BatchResultLine(
        @JsonProperty("id") String id,
        @JsonProperty("custom_id") String customId,
        @JsonProperty("response") Response response,
        @JsonProperty("error") Error error) {

    /** The endpoint's answer; on success each image in {@code body.data} also names its bucket {@code key}. */
    public record Response(
            @JsonProperty("status_code") int statusCode,
            @JsonProperty("request_id") String requestId,
            @JsonProperty("body") JsonNode body) {
    }

    /** Why the line was not run. */
    public record Error(@JsonProperty("code") String code, @JsonProperty("message") String message) {
    }
}
