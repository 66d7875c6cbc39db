package dev.imagegateway.upstream;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The body sent to the upstream's {@code POST /v1/images/generations}; fields left null are not sent. */
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
        @JsonProperty("user") String user) {
}
