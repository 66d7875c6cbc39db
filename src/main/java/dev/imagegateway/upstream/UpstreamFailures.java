package dev.imagegateway.upstream;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegateway.error.GatewayException;
import dev.imagegateway.error.UpstreamFailureException.Reason;
import dev.imagegateway.error.UpstreamFailureException;
import dev.imagegateway.error.UpstreamRejectedException;
import io.quarkus.logging.Log;
import java.io.IOException;

/**
 * What an upstream answer that is not a success means for the caller, from its status and body bytes:
 * the one set of rules for both the whole-answer call and the streamed one.
 */
final class UpstreamFailures {

    private UpstreamFailures() {
    }

    static GatewayException forStatus(int status, byte[] body, String retryAfter, ObjectMapper mapper) {
        Log.warnf("Upstream answered status %d", status);
        if (status >= 500) {
            return new UpstreamFailureException(Reason.UNAVAILABLE, "The image backend failed (status " + status + ").");
        }
        if (status == 401 || status == 403) {
            // The caller's key was fine; ours was refused. Passing the upstream's text on could echo our key.
            return new UpstreamFailureException(Reason.UNAVAILABLE,
                    "The image backend refused the gateway's credentials (status " + status + ").");
        }
        if (status < 400) {
            return new UpstreamFailureException(Reason.INVALID_RESPONSE,
                    "The image backend answered with unexpected status " + status + ".");
        }
        UpstreamErrorBody.Detail detail = readError(body, mapper);
        if (status == 429) {
            String message = detail.message() != null ? detail.message() : "The image backend is rate limiting requests.";
            return new UpstreamRejectedException(429, "rate_limit_error", detail.param(), detail.code(), message, retryAfter);
        }
        String message = detail.message() != null ? detail.message()
                : "The image backend rejected the request (status " + status + ").";
        String type = detail.type() != null ? detail.type() : "invalid_request_error";
        return new UpstreamRejectedException(status, type, detail.param(), detail.code(), message, retryAfter);
    }

    /**
     * An {@code error} event inside a stream the upstream had accepted (a moderation refusal during
     * generation, say): its type, code and message are passed on, like a 4xx's.
     */
    static GatewayException forErrorEvent(String data, ObjectMapper mapper) {
        UpstreamErrorBody.Detail detail;
        try {
            UpstreamErrorBody body = mapper.readValue(data, UpstreamErrorBody.class);
            detail = body != null && body.error() != null ? body.error() : mapper.readValue(data, UpstreamErrorBody.Detail.class);
        } catch (IOException | RuntimeException e) {
            detail = new UpstreamErrorBody.Detail(null, null, null, null);
        }
        Log.warnf("Upstream stream ended with an error event (code %s)", detail.code());
        String message = detail.message() != null ? detail.message() : "The image backend ended its stream with an error.";
        String type = detail.type() != null && !detail.type().equals("error") ? detail.type() : "upstream_error";
        return new UpstreamRejectedException(400, type, detail.param(), detail.code(), message, null);
    }

    static UpstreamFailureException timeout() {
        return new UpstreamFailureException(Reason.TIMEOUT, "The image backend did not answer in time.");
    }

    private static UpstreamErrorBody.Detail readError(byte[] body, ObjectMapper mapper) {
        try {
            UpstreamErrorBody parsed = mapper.readValue(body, UpstreamErrorBody.class);
            if (parsed != null && parsed.error() != null) {
                return parsed.error();
            }
        } catch (IOException | RuntimeException e) {
            Log.debug("Upstream error body is not the OpenAI envelope");
        }
        return new UpstreamErrorBody.Detail(null, null, null, null);
    }
}
