package dev.imagegateway.upstream;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

/**
 * The body of a streamed generation: the same fields as a whole-answer request, plus {@code stream} and
 * {@code partial_images}. The image fields are unwrapped rather than repeated, so the two requests
 * cannot drift apart.
 */
public record UpstreamImageStreamRequest(
        @JsonUnwrapped UpstreamImageRequest image,
        @JsonProperty("stream") boolean stream,
        @JsonProperty("partial_images") int partialImages) {

    public static UpstreamImageStreamRequest of(UpstreamImageRequest image, int partialImages) {
        return new UpstreamImageStreamRequest(image, true, partialImages);
    }
}
