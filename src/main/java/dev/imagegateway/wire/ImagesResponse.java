package dev.imagegateway.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.imagegateway.image.Base64Bytes;
import java.util.List;

/** The OpenAI images response; fields the upstream did not give are omitted, never null. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImagesResponse(
        @JsonProperty("created") long created,
        @JsonProperty("data") List<Image> data,
        @JsonProperty("background") String background,
        @JsonProperty("output_format") String outputFormat,
        @JsonProperty("size") String size,
        @JsonProperty("quality") String quality,
        @JsonProperty("usage") Usage usage) {

    /** One image: {@code url} or {@code b64_json}, never both. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Image(
            @JsonProperty("url") String url,
            @JsonProperty("b64_json") Base64Bytes b64Json,
            @JsonProperty("revised_prompt") String revisedPrompt) {
    }
}
