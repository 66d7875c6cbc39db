package dev.imagegateway.error;

/**
 * A failure the caller is told about in the OpenAI error envelope. Subclasses name the kind of failure;
 * which HTTP status each kind gets is decided in exactly one place, the API's error mapper.
 */
public abstract class GatewayException extends RuntimeException {

    private final String param;
    private final String code;
    private final boolean retrySafe;

    protected GatewayException(String message, String param, String code, Throwable cause) {
        this(message, param, code, cause, false);
    }

    protected GatewayException(String message, String param, String code, Throwable cause, boolean retrySafe) {
        // No stack trace: these are expected outcomes, and their traces would only end up in logs.
        super(message, cause, false, false);
        this.param = param;
        this.code = code;
        this.retrySafe = retrySafe;
    }

    /**
     * Whether the same request may simply be sent again: true only where nothing was bought and a new
     * attempt can succeed (the upstream was never reached, or refused before accepting the work). The
     * gateway's own upstream retries follow it, and so does the {@code x-should-retry} answer header
     * that tells the caller's SDK whether to retry a 429 or 5xx. False by default: a failure that may
     * have cost a generation must not be repeated by anyone.
     */
    public boolean retrySafe() {
        return retrySafe;
    }

    /** The request field the error is about, or null. */
    public String param() {
        return param;
    }

    /** The machine-readable OpenAI error code, or null. */
    public String code() {
        return code;
    }
}
