package dev.imagegateway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.imagegateway.observability.SecretRedaction;

/**
 * The OpenAI error envelope. Unlike our other wire types it keeps {@code param} and {@code code} as
 * explicit nulls: that is the shape OpenAI sends and its SDKs expect.
 */
public record OpenAiError(@JsonProperty("error") Detail error) {

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Detail(
            @JsonProperty("message") String message,
            @JsonProperty("type") String type,
            @JsonProperty("param") String param,
            @JsonProperty("code") String code) {
    }

    static OpenAiError of(String message, String type, String param, String code) {
        return new OpenAiError(new Detail(SecretRedaction.redact(message), type, param, code));
    }
}
