package dev.imagegateway.generation;

import dev.imagegateway.upstream.Usage;
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
    public record Item(URI url, String key, String b64Json, String revisedPrompt) {
    }
}
