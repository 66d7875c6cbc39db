package dev.imagegateway.upstream;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.imagegateway.image.Base64Bytes;
import dev.imagegateway.wire.Usage;
import java.util.List;

/** The upstream's answer; fields it did not give are null. Unknown fields are ignored, as clients do. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UpstreamImagesResponse(
        @JsonProperty("created") Long created,
        @JsonProperty("data") List<Image> data,
        @JsonProperty("background") String background,
        @JsonProperty("output_format") String outputFormat,
        @JsonProperty("size") String size,
        @JsonProperty("quality") String quality,
        @JsonProperty("usage") Usage usage) {

    /** One generated image; the gateway always asks for base64. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Image(
            @JsonProperty("b64_json") Base64Bytes b64Json,
            @JsonProperty("revised_prompt") String revisedPrompt) {
    }
}
