package dev.imagegateway.generation;

import dev.imagegateway.error.InvalidRequestException;

/**
 * One broken rule: the OpenAI error type, the field, the OpenAI error code and a sentence the caller
 * can act on.
 */
public record Violation(String type, String param, String code, String message) {

    static final String INVALID_REQUEST = "invalid_request_error";

    /** A violation of the ordinary type, {@code invalid_request_error}. */
    public Violation(String param, String code, String message) {
        this(INVALID_REQUEST, param, code, message);
    }

    public InvalidRequestException toException() {
        return new InvalidRequestException(type, param, code, message);
    }
}
