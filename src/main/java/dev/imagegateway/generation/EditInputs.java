package dev.imagegateway.generation;

import dev.imagegateway.image.ImageHeader;
import dev.imagegateway.upstream.UpstreamEditForm;
import dev.imagegateway.upstream.UpstreamEditRequest;
import dev.imagegateway.upstream.UpstreamImageCall;
import dev.imagegateway.upstream.UpstreamImageRequest;
import dev.imagegateway.wire.EditRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The checked inputs of an edit, ready to send: each image and the mask either as bytes the gateway holds
 * (an upload of the caller's body, or the content of one of the caller's files) or as a URL that only the
 * upstream fetches.
 *
 * @param form the form the caller used; the upstream gets the same one
 */
public record EditInputs(EditRequest.Form form, List<Input> images, Optional<Input> mask) {

    public EditInputs {
        images = List.copyOf(images);
    }

    /**
     * One input: {@code length} bytes of {@code body} from {@code offset} with their header, or, for
     * bytes the gateway does not hold, the {@code url} to pass on ({@code header} then null unless the URL
     * is a {@code data:} URL whose header was read).
     */
    public record Input(String param, ImageHeader header, byte[] body, int offset, int length, String url) {

        static Input bytes(String param, ImageHeader header, byte[] body, int offset, int length) {
            return new Input(param, header, body, offset, length, null);
        }

        static Input url(String param, ImageHeader header, String url) {
            return new Input(param, header, null, 0, 0, url);
        }

        /** What to put in {@code image_url}: the URL as given, or the held bytes as a {@code data:} URL. */
        String imageUrl() {
            if (url != null) {
                return url;
            }
            ByteBuffer encoded = Base64.getEncoder().encode(ByteBuffer.wrap(body, offset, length));
            return "data:" + header.type().contentType() + ";base64,"
                    + StandardCharsets.US_ASCII.decode(encoded);
        }
    }

    /** The upstream call for {@code request}: multipart for a multipart edit, JSON for a JSON one. */
    UpstreamImageCall call(UpstreamImageRequest request) {
        if (form == EditRequest.Form.JSON) {
            List<UpstreamEditRequest.ImageReference> references = new ArrayList<>(images.size());
            images.forEach(image -> references.add(new UpstreamEditRequest.ImageReference(image.imageUrl())));
            return new UpstreamImageCall.JsonEdit(UpstreamEditRequest.of(request, references,
                    mask.map(m -> new UpstreamEditRequest.ImageReference(m.imageUrl())).orElse(null)));
        }
        List<UpstreamEditForm.FilePart> files = new ArrayList<>();
        // One image goes as "image", several as "image[]" each, as OpenAI's SDKs send them.
        String name = images.size() == 1 ? "image" : "image[]";
        for (int i = 0; i < images.size(); i++) {
            files.add(file(name, "image-" + i, images.get(i)));
        }
        mask.ifPresent(m -> files.add(file("mask", "mask", m)));
        return new UpstreamImageCall.MultipartEdit(UpstreamEditForm.of(request, files));
    }

    private static UpstreamEditForm.FilePart file(String name, String filename, Input input) {
        return new UpstreamEditForm.FilePart(name, filename + "." + input.header().type().extension(),
                input.header().type().contentType(), input.body(), input.offset(), input.length());
    }
}
