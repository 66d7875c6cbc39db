package dev.imagegateway.error;

/**
 * A failure the caller is told about in the OpenAI error envelope. Subclasses name the kind of failure;
 * which HTTP status each kind gets is decided in exactly one place, the API's error mapper.
 */
public abstract class GatewayException extends RuntimeException {

    private final String param;
    private final String code;

    protected GatewayException(String message, String param, String code, Throwable cause) {
        // No stack trace: these are expected outcomes, and their traces would only end up in logs.
        super(message, cause, false, false);
        this.param = param;
        this.code = code;
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
