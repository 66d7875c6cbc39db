package dev.imagegateway.generation;

import dev.imagegateway.image.Base64Bytes;
import dev.imagegateway.wire.ImagesResponse;
import dev.imagegateway.wire.Usage;
import java.net.URI;
import java.util.List;

/**
 * What a generation produced, ready to answer with. Upstream metadata fields are null where the
 * upstream gave none.
 */
public record GeneratedImages(
        long created,
        List<Item> items,
        String background,
        String outputFormat,
        String size,
        String quality,
        Usage usage) {

    /**
     * One image: a link or base64 bytes, never both. {@code key} is the image's object key in the
     * bucket when it was stored (with every link); batch results name it because links expire.
     */
    public record Item(URI url, String key, Base64Bytes b64Json, String revisedPrompt) {
    }

    /** The OpenAI answer for these images: what the endpoint returns and a batch line's body holds. */
    public ImagesResponse response() {
        List<ImagesResponse.Image> data = items.stream()
                .map(item -> new ImagesResponse.Image(item.url() == null ? null : item.url().toString(), item.b64Json(),
                        item.revisedPrompt()))
                .toList();
        return new ImagesResponse(created, data, background, outputFormat, size, quality, usage);
    }
}
