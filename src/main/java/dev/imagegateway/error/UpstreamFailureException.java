package dev.imagegateway.error;

/** The upstream failed: unreachable, too slow, or answered something that is not images. */
public final class UpstreamFailureException extends GatewayException {

    /** What went wrong, which decides the error code (and, in the mapper, the status). */
    public enum Reason {
        UNAVAILABLE("upstream_unavailable"),
        TIMEOUT("upstream_timeout"),
        INVALID_RESPONSE("upstream_invalid_response");

        private final String code;

        Reason(String code) {
            this.code = code;
        }
    }

    private final Reason reason;

    public UpstreamFailureException(Reason reason, String message, Throwable cause) {
        super(message, null, reason.code, cause);
        this.reason = reason;
    }

    public UpstreamFailureException(Reason reason, String message) {
        this(reason, message, null);
    }

    public Reason reason() {
        return reason;
    }
}
