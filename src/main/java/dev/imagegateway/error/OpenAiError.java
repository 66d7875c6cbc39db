package dev.imagegateway.error;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.imagegateway.observability.SecretRedaction;
import java.util.Map;

/**
 * The OpenAI error envelope. Unlike our other wire types it keeps {@code param} and {@code code} as
 * explicit nulls: that is the shape OpenAI sends and its SDKs expect. {@code other} holds the further
 * fields of an upstream's error object (such as {@code moderation_details}), passed on as given.
 */
public record OpenAiError(@JsonProperty("error") Detail error) {

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Detail(
            @JsonProperty("message") String message,
            @JsonProperty("type") String type,
            @JsonProperty("param") String param,
            @JsonProperty("code") String code,
            @JsonIgnore Map<String, Object> other) {

        public Detail(String message, String type, String param, String code) {
            this(message, type, param, code, Map.of());
        }

        @JsonAnyGetter
        Map<String, Object> otherFields() {
            return other == null ? Map.of() : other;
        }
    }

    public static OpenAiError of(String message, String type, String param, String code) {
        return of(message, type, param, code, Map.of());
    }

    public static OpenAiError of(String message, String type, String param, String code, Map<String, Object> other) {
        return new OpenAiError(new Detail(SecretRedaction.redact(message), type, param, code, other));
    }
}
