package dev.imagegateway.error;

import java.util.Map;
import java.util.Optional;

/**
 * A failure the caller is told about in the OpenAI error envelope. Each failure knows what it is to
 * the caller — HTTP status, OpenAI error type and code, and whether the same request may be sent again
 * — decided where it is made, as OpenAI's SDKs model errors by status; the error mapper only writes
 * it out.
 */
public abstract class GatewayException extends RuntimeException {

    private final int status;
    private final String type;
    private final String param;
    private final String code;
    private final boolean retrySafe;

    protected GatewayException(int status, String type, String message, String param, String code, Throwable cause,
            boolean retrySafe) {
        // No stack trace: these are expected outcomes, and their traces would only end up in logs.
        super(message, cause, false, false);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
        this.retrySafe = retrySafe;
    }

    /** The HTTP status of the answer. */
    public int status() {
        return status;
    }

    /** The OpenAI error type ({@code invalid_request_error}, {@code server_error}, or the upstream's). */
    public String type() {
        return type;
    }

    /** The request field the error is about, or null. */
    public String param() {
        return param;
    }

    /** The machine-readable OpenAI error code, or null. */
    public String code() {
        return code;
    }

    /**
     * Whether the same request may simply be sent again: true only where nothing was bought and a new
     * attempt can succeed (the upstream was never reached, or refused before accepting the work). The
     * gateway's own upstream retries and fallbacks follow it, and so does the {@code x-should-retry}
     * answer header that tells the caller's SDK whether to retry a 429 or 5xx. False by default: a
     * failure that may have cost a generation must not be repeated by anyone.
     */
    public boolean retrySafe() {
        return retrySafe;
    }

    /** The {@code Retry-After} to answer with, where the upstream gave one. */
    public Optional<String> retryAfter() {
        return Optional.empty();
    }

    /** Fields of the error object beyond message, type, param and code (an upstream's, passed on). */
    public Map<String, Object> otherFields() {
        return Map.of();
    }

    /**
     * A bounded name for metrics: the code, or the type where there is none. Upstream codes are free
     * text, so a passed-on refusal overrides this with a fixed name.
     */
    public String outcome() {
        return code != null ? code : type;
    }
}
