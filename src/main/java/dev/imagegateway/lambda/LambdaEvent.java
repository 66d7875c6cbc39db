package dev.imagegateway.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;

/**
 * What kind of event Lambda delivered, read from its top-level fields. HTTP is decided first and by
 * {@code requestContext.http}, which API Gateway's HTTP API and Function URLs always set and a caller
 * cannot: whatever a request's path, headers or body say, it stays an HTTP request and can never start
 * a batch sweep or reach the batch worker.
 */
public enum LambdaEvent {
    /** API Gateway HTTP API or Function URL, payload format 2.0: served by the Quarkus HTTP handler. */
    HTTP,
    /** EventBridge's scheduled event ({@code source: aws.events}, {@code detail-type: Scheduled Event}). */
    SCHEDULED,
    /** SQS's event ({@code Records[0].eventSource: aws:sqs}): batch work, handled by the Batch API's worker. */
    SQS,
    /** Anything else: refused with an error, so a misrouted event shows up as a failed invocation. */
    UNKNOWN;

    /** The lambda package's one plain mapper, for event and answer JSON that no Quarkus bean is needed for. */
    static final ObjectMapper JSON = new ObjectMapper();

    public static LambdaEvent of(byte[] event) {
        return of(read(event));
    }

    /** The event as a JSON tree; a missing node when it is not JSON. */
    static JsonNode read(byte[] event) {
        try {
            JsonNode root = JSON.readTree(event);
            return root == null ? MissingNode.getInstance() : root;
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    static LambdaEvent of(JsonNode root) {
        if (!root.isObject()) {
            return UNKNOWN;
        }
        JsonNode requestContext = root.get("requestContext");
        if (requestContext != null && requestContext.isObject() && requestContext.path("http").isObject()) {
            return HTTP;
        }
        if ("aws.events".equals(root.path("source").asText(null))
                && "Scheduled Event".equals(root.path("detail-type").asText(null))) {
            return SCHEDULED;
        }
        JsonNode records = root.get("Records");
        if (records != null && records.isArray() && !records.isEmpty()
                && "aws:sqs".equals(records.get(0).path("eventSource").asText(null))) {
            return SQS;
        }
        return UNKNOWN;
    }
}
