package dev.imagegateway.generation;

import dev.imagegateway.error.InvalidRequestException;

/** One broken rule: the field, the OpenAI error code and a sentence the caller can act on. */
public record Violation(String param, String code, String message) {

    public InvalidRequestException toException() {
        return new InvalidRequestException(param, code, message);
    }
}
