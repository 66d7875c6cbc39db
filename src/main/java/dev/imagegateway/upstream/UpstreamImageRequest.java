package dev.imagegateway.upstream;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * The body sent to the upstream's {@code POST /v1/images/generations}; fields left null are not sent.
 *
 * @param extra fields a model's catalog entry adds to the API (e.g. {@code complexity}), sent as given
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UpstreamImageRequest(
        @JsonProperty("model") String model,
        @JsonProperty("prompt") String prompt,
        @JsonProperty("n") Integer n,
        @JsonProperty("size") String size,
        @JsonProperty("quality") String quality,
        @JsonProperty("style") String style,
        @JsonProperty("response_format") String responseFormat,
        @JsonProperty("output_format") String outputFormat,
        @JsonProperty("output_compression") Integer outputCompression,
        @JsonProperty("moderation") String moderation,
        @JsonProperty("background") String background,
        @JsonProperty("user") String user,
        @JsonIgnore Map<String, Object> extra) {

    public UpstreamImageRequest {
        extra = extra == null ? Map.of() : extra;
    }

    /** A request with no extra fields. */
    public UpstreamImageRequest(String model, String prompt, Integer n, String size, String quality, String style,
            String responseFormat, String outputFormat, Integer outputCompression, String moderation,
            String background, String user) {
        this(model, prompt, n, size, quality, style, responseFormat, outputFormat, outputCompression, moderation,
                background, user, Map.of());
    }

    /** The extra fields, written after the others as fields of the same object. */
    @JsonAnyGetter
    Map<String, Object> extraFields() {
        return extra;
    }
}
