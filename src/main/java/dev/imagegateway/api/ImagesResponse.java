package dev.imagegateway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.imagegateway.generation.GeneratedImages;
import dev.imagegateway.upstream.Usage;
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
            @JsonProperty("b64_json") String b64Json,
            @JsonProperty("revised_prompt") String revisedPrompt) {
    }

    /** The endpoint's answer for {@code generated}; the batch sweep writes the same body. */
    public static ImagesResponse of(GeneratedImages generated) {
        List<Image> data = generated.items().stream()
                .map(item -> new Image(item.url() == null ? null : item.url().toString(), item.b64Json(),
                        item.revisedPrompt()))
                .toList();
        return new ImagesResponse(generated.created(), data, generated.background(), generated.outputFormat(),
                generated.size(), generated.quality(), generated.usage());
    }
}
