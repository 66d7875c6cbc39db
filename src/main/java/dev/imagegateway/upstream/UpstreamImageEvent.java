package dev.imagegateway.upstream;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.imagegateway.wire.Usage;

/**
 * One event of the upstream's image stream, read from its {@code data:} JSON. Fields it did not give
 * are null; unknown fields are ignored, as OpenAI's clients do.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UpstreamImageEvent(
        @JsonProperty("type") String type,
        @JsonProperty("b64_json") String b64Json,
        @JsonProperty("partial_image_index") Integer partialImageIndex,
        @JsonProperty("size") String size,
        @JsonProperty("quality") String quality,
        @JsonProperty("background") String background,
        @JsonProperty("output_format") String outputFormat,
        @JsonProperty("created_at") Long createdAt,
        @JsonProperty("usage") Usage usage) {

    public static final String PARTIAL_IMAGE = "image_generation.partial_image";
    public static final String COMPLETED = "image_generation.completed";
    public static final String EDIT_PARTIAL_IMAGE = "image_edit.partial_image";
    public static final String EDIT_COMPLETED = "image_edit.completed";

    /** A partial image of a generation or of an edit (OpenAI names the two streams' events apart). */
    public boolean isPartialImage() {
        return PARTIAL_IMAGE.equals(type) || EDIT_PARTIAL_IMAGE.equals(type);
    }

    public boolean isCompleted() {
        return COMPLETED.equals(type) || EDIT_COMPLETED.equals(type);
    }
}
