package dev.imagegateway.error;

/**
 * The upstream failed: unreachable or refusing (502), too slow (504), or answering something that is
 * not images (502). To the caller these are the gateway's own server errors.
 */
public final class UpstreamFailureException extends GatewayException {

    /** What went wrong, which decides the error code and the status. */
    public enum Reason {
        UNAVAILABLE("upstream_unavailable", 502),
        TIMEOUT("upstream_timeout", 504),
        INVALID_RESPONSE("upstream_invalid_response", 502);

        private final String code;
        private final int status;

        Reason(String code, int status) {
            this.code = code;
            this.status = status;
        }
    }

    private final Reason reason;

    public UpstreamFailureException(Reason reason, String message, Throwable cause) {
        this(reason, message, cause, false);
    }

    private UpstreamFailureException(Reason reason, String message, Throwable cause, boolean retrySafe) {
        super(reason.status, ErrorTypes.SERVER_ERROR, message, null, reason.code, cause, retrySafe);
        this.reason = reason;
    }

    /**
     * A failure before the upstream accepted the request (no connection, or its front refused it with
     * 502/503): nothing was generated, so the request may be sent again.
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
