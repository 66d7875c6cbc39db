package dev.imagegateway.error;

import io.quarkus.logging.Log;
import java.util.Optional;

/**
 * A failure as the caller sees it: status, the OpenAI envelope, {@code Retry-After} and whether the
 * request may be sent again. One answer for every way out — the HTTP error mapper, a refused Lambda
 * event, a batch line — so that each answers the same failure the same way.
 */
public record ErrorAnswer(int status, OpenAiError error, Optional<String> retryAfter, boolean retrySafe) {

    /** The answer a gateway failure gets; a server-side one is logged (by kind and cause class, never more). */
    public static ErrorAnswer of(GatewayException e) {
        if (e.status() >= 500) {
            Log.warnf("%s: %s%s", e.getClass().getSimpleName(), e.getMessage(),
                    e.getCause() == null ? "" : " (cause: " + e.getCause().getClass().getName() + ")");
        }
        return new ErrorAnswer(e.status(), OpenAiError.of(e.getMessage(), e.type(), e.param(), e.code(),
                e.otherFields()), e.retryAfter(), e.retrySafe());
    }

    /** The answer to a failure that is none of ours: logged by class only, answered as a 500. */
    public static ErrorAnswer unexpected(Throwable e) {
        // An unexpected exception's message may quote anything, keys included.
        Log.errorf("Unexpected failure: %s", e.getClass().getName());
        return internal();
    }

    /**
     * The gateway's own 500. Whether the upstream was already called is unknown, so it is not safe to
     * retry.
     */
    public static ErrorAnswer internal() {
        return new ErrorAnswer(500, OpenAiError.of("The gateway failed to serve the request; retry, and report the"
                + " x-request-id if it persists.", ErrorTypes.SERVER_ERROR, null, "internal_error"), Optional.empty(),
                false);
    }

    /**
     * Whether the answer tells the caller's SDK whether to retry: every status the official SDKs would
     * retry on their own (408, 409, 429 and 5xx) does, so that {@link #retrySafe} decides, not their rule.
     */
    public boolean advisesRetry() {
        return status == 408 || status == 409 || status == 429 || status >= 500;
    }
}
