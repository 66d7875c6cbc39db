package dev.imagegateway.upstream;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegateway.error.GatewayException;
import dev.imagegateway.error.UpstreamFailureException;
import dev.imagegateway.error.UpstreamFailureException.Reason;
import dev.imagegateway.error.UpstreamRejectedException;
import io.quarkus.logging.Log;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/**
 * What an upstream answer that is not a success means for the caller, from its status and body bytes:
 * the one set of rules for both the whole-answer call and the streamed one.
 */
final class UpstreamFailures {

    private UpstreamFailures() {
    }

    static GatewayException forStatus(int status, byte[] body, String retryAfter, ObjectMapper mapper) {
        Log.warnf("Upstream answered status %d", status);
        if (status == 504) {
            // Its front gave up waiting after passing the request on: the backend may be generating.
            return new UpstreamFailureException(Reason.TIMEOUT, "The image backend did not answer in time (status 504).");
        }
        if (status >= 500) {
            String message = "The image backend failed (status " + status + ").";
            // Its front refusing the call (502/503) means no generation started; a 500 may have.
            return UpstreamRetry.isRetryableStatus(status)
                    ? UpstreamFailureException.beforeAcceptance(Reason.UNAVAILABLE, message, null)
                    : new UpstreamFailureException(Reason.UNAVAILABLE, message);
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
            // OpenAI's own types say which limit it is (requests, tokens, insufficient_quota): keep them.
            String message = detail.message() != null ? detail.message() : "The image backend is rate limiting requests.";
            String type = detail.type() != null ? detail.type() : "rate_limit_error";
            return new UpstreamRejectedException(429, type, detail.param(), detail.code(), message, retryAfter,
                    detail.other());
        }
        String message = detail.message() != null ? detail.message()
                : "The image backend rejected the request (status " + status + ").";
        String type = detail.type() != null ? detail.type() : "invalid_request_error";
        return new UpstreamRejectedException(status, type, detail.param(), detail.code(), message, retryAfter,
                detail.other());
    }

    /**
     * An {@code error} event inside a stream the upstream had accepted (a moderation refusal during
     * generation, say): its type, code and message are passed on, like a 4xx's.
     */
    static GatewayException forErrorEvent(String data, ObjectMapper mapper) {
        UpstreamErrorBody.Detail detail;
        try {
            UpstreamErrorBody body = mapper.readValue(data, UpstreamErrorBody.class);
            detail = body != null && body.error() != null ? body.error()
                    : mapper.readValue(data, UpstreamErrorBody.Detail.class);
        } catch (IOException | RuntimeException e) {
            detail = UpstreamErrorBody.Detail.NONE;
        }
        Log.warnf("Upstream stream ended with an error event (code %s)", detail.code());
        String message = detail.message() != null ? detail.message() : "The image backend ended its stream with an error.";
        String type = detail.type() != null && !detail.type().equals("error") ? detail.type() : "upstream_error";
        return new UpstreamRejectedException(400, type, detail.param(), detail.code(), message, null, detail.other());
    }

    /**
     * No answer at all: a timeout, or a connection that failed. Only a connection that could not be
     * made is safe to retry; one that broke after the request was sent may have started a generation.
     */
    static UpstreamFailureException noAnswer(Throwable cause) {
        // A connection never made comes first, connect timeouts included: nothing reached the upstream,
        // so it is safe to try again (or the next upstream), whatever the exception's name says.
        if (UpstreamRetry.isConnectFailure(cause)) {
            return UpstreamFailureException.beforeAcceptance(Reason.UNAVAILABLE,
                    "The image backend could not be reached.", cause);
        }
        if (isTimeout(cause)) {
            return new UpstreamFailureException(Reason.TIMEOUT, "The image backend did not answer in time.", cause);
        }
        return new UpstreamFailureException(Reason.UNAVAILABLE, "The image backend could not be reached.", cause);
    }

    static boolean isTimeout(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t instanceof java.net.SocketTimeoutException
                    || t.getClass().getSimpleName().contains("Timeout")) {
                return true;
            }
        }
        return false;
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
        return UpstreamErrorBody.Detail.NONE;
    }
}
