package dev.imagegateway.upstream;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.List;

/**
 * The JSON body of an edit sent to the upstream's {@code POST /v1/images/edits}: the generation fields
 * (unwrapped, so the two requests cannot drift apart), the input images and the mask as
 * {@code image_url} references, and, for a stream, {@code stream} and {@code partial_images}. A
 * caller's {@code file_id} names a file of this gateway, which the upstream does not know: it arrives
 * here already turned into a {@code data:} URL of the file's bytes.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UpstreamEditRequest(
        @JsonUnwrapped UpstreamImageRequest image,
        @JsonProperty("images") List<ImageReference> images,
        @JsonProperty("mask") ImageReference mask,
        @JsonProperty("stream") Boolean stream,
        @JsonProperty("partial_images") Integer partialImages) {

    /** One image as OpenAI's {@code ImageRefParam}: a URL the upstream fetches, or a {@code data:} URL. */
    public record ImageReference(@JsonProperty("image_url") String imageUrl) {
    }

    /** A whole-answer edit. */
    public static UpstreamEditRequest of(UpstreamImageRequest image, List<ImageReference> images, ImageReference mask) {
        return new UpstreamEditRequest(image, List.copyOf(images), mask, null, null);
    }

    /** The same edit asked for as an event stream. */
    UpstreamEditRequest streamed(int partialImages) {
        return new UpstreamEditRequest(image, images, mask, true, partialImages);
    }
}
