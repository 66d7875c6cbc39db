package dev.imagegateway.upstream;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** The OpenAI error envelope as an upstream sends it; every part may be missing. */
@JsonIgnoreProperties(ignoreUnknown = true)
record UpstreamErrorBody(@JsonProperty("error") Detail error) {

    /**
     * The error object; {@code other} holds its further fields ({@code moderation_details}, …) as given.
     * The four fields are read as any JSON value: an OpenAI-compatible backend that sends {@code "code": 400}
     * or an object where OpenAI has a string must not cost the caller the rest of its error.
     */
    record Detail(
            @JsonProperty("message") JsonNode messageValue,
            @JsonProperty("type") JsonNode typeValue,
            @JsonProperty("param") JsonNode paramValue,
            @JsonProperty("code") JsonNode codeValue,
            @JsonAnySetter Map<String, Object> other) {

        static final Detail NONE = new Detail(null, null, null, null, null);

        String message() {
            return text(messageValue, true);
        }

        String type() {
            return text(typeValue, false);
        }

        String param() {
            return text(paramValue, false);
        }

        /** As text, the type OpenAI's SDKs read it as: a numeric code 400 is "400". */
        String code() {
            return text(codeValue, false);
        }

        /** A scalar as its text; JSON null or missing as null; an object or array as its JSON where asked. */
        private static String text(JsonNode value, boolean jsonOfContainers) {
            if (value == null || value.isNull() || value.isMissingNode()) {
                return null;
            }
            if (value.isValueNode()) {
                return value.asText();
            }
            return jsonOfContainers ? value.toString() : null;
        }
    }
}
