package dev.imagegateway.lambda;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagegateway.config.GatewayConfig;
import dev.imagegateway.error.ErrorAnswer;
import dev.imagegateway.error.GatewayException;
import dev.imagegateway.observability.EmbeddedMetrics;
import dev.imagegateway.observability.RequestLogFields;
import io.quarkus.arc.Arc;
import io.quarkus.logging.Log;
import java.util.Map;
import java.util.UUID;

/**
 * The answer to an HTTP event that {@link HttpEventGuard} refused, in the payload-2.0 response shape
 * the HTTP bridge would have written: the error mapper's status and envelope, {@code x-request-id},
 * and the same request line and metrics record as every other request.
 */
final class RefusedHttpEvent {

    private RefusedHttpEvent() {
    }

    static byte[] answer(GatewayException problem) throws JsonProcessingException {
        String requestId = UUID.randomUUID().toString();
        ErrorAnswer answer = ErrorAnswer.of(problem);
        ObjectNode response = LambdaEvent.JSON.createObjectNode();
        response.put("statusCode", answer.status());
        response.putObject("headers")
                .put("Content-Type", "application/json")
                .put("x-request-id", requestId);
        response.put("body", LambdaEvent.JSON.writeValueAsString(answer.error()));
        response.put("isBase64Encoded", false);
        record(requestId, answer);
        return LambdaEvent.JSON.writeValueAsBytes(response);
    }

    private static void record(String requestId, ErrorAnswer answer) {
        RequestLogFields.begin(requestId);
        try {
            RequestLogFields.put(RequestLogFields.STATUS, answer.status());
            String code = answer.error().error().code() != null ? answer.error().error().code()
                    : answer.error().error().type();
            RequestLogFields.put(RequestLogFields.ERROR_CODE, code);
            RequestLogFields.put(RequestLogFields.OUTCOME, code);
            Map<String, String> fields = RequestLogFields.snapshot();
            // Neither method nor path: they may be what was malformed.
            Log.infof("HTTP event refused before routing status=%d errorCode=%s", answer.status(), code);
            if (Arc.container().instance(GatewayConfig.class).get().metrics().enabled()) {
                Arc.container().instance(EmbeddedMetrics.class).get().emit(fields, System.currentTimeMillis());
            }
        } finally {
            RequestLogFields.end();
        }
    }
}
