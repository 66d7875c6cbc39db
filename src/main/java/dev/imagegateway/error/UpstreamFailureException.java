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
        this(reason, message, cause, false);
    }

    private UpstreamFailureException(Reason reason, String message, Throwable cause, boolean retrySafe) {
        super(message, null, reason.code, cause, retrySafe);
        this.reason = reason;
    }

    /**
     * A failure before the upstream accepted the request (no connection, or its front refused it with
     * 502/503/504): nothing was generated, so the request may be sent again.
     */
    public static UpstreamFailureException beforeAcceptance(Reason reason, String message, Throwable cause) {
        return new UpstreamFailureException(reason, message, cause, true);
    }

    public UpstreamFailureException(Reason reason, String message) {
        this(reason, message, null);
    }

    public Reason reason() {
        return reason;
    }
}
