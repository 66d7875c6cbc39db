package dev.imagegateway.generation;

import dev.imagegateway.error.GatewayException;
import dev.imagegateway.wire.Usage;
import java.net.URI;
import java.util.List;

/**
 * What a streamed generation produced, in the upstream's order, ready to answer with as events; and,
 * when the stream could not be finished, the failure its last event reports.
 *
 * @param partialImagesDropped partial images left out so that the buffered answer fits the response limit
 * @param edit whether the events are an edit's ({@code image_edit.*}) rather than a generation's
 *        ({@code image_generation.*})
 */
public record StreamedImages(List<Event> events, GatewayException failure, int partialImagesDropped, boolean edit) {

    /** The two kinds of image event OpenAI streams. */
    public enum Kind {
        PARTIAL_IMAGE,
        COMPLETED
    }

    /**
     * One image event: a partial image (always base64) or a finished one (base64, or a link to the stored
     * image). Upstream metadata fields are null where the upstream gave none.
     */
    public record Event(
            Kind kind,
            String b64Json,
            URI url,
            Integer partialImageIndex,
            String size,
            String quality,
            String background,
            String outputFormat,
            long createdAt,
            Usage usage) {
    }
}
