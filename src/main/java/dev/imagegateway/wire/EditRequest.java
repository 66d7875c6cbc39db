package dev.imagegateway.wire;

import java.util.List;
import java.util.Optional;

/**
 * An edit as the caller sent it to {@code POST /v1/images/edits}, every field already of the right type:
 * the generation fields (with {@code input_fidelity} among the extra ones, for the catalog to judge), the
 * input images and the optional mask, and the form they came in.
 *
 * @param images the input images in order; empty when the caller sent none
 * @param imagesParam the name the caller's form gives the images: {@code image} (multipart) or {@code images} (JSON)
 */
public record EditRequest(ImageRequest fields, Form form, List<EditImage> images, Optional<EditImage> mask,
        String imagesParam) {

    public EditRequest {
        images = List.copyOf(images);
    }

    /** How the edit came: as OpenAI's two request forms. */
    public enum Form {
        /** {@code multipart/form-data}: {@code image} or {@code image[]} file parts, a {@code mask} file part. */
        MULTIPART,
        /** {@code application/json}: {@code images: [{"image_url": …} | {"file_id": …}]}, {@code mask: {…}}. */
        JSON
    }

    /** One input image or mask, named by the field it came in ({@code image[1]}, {@code images[0]}, {@code mask}). */
    public sealed interface EditImage {
        String param();
    }

    /** An uploaded file part: {@code length} bytes of the request body from {@code offset}, not copied. */
    public record Upload(String param, String filename, byte[] body, int offset, int length) implements EditImage {
    }

    /** A reference of the JSON form: exactly one of {@code imageUrl} and {@code fileId} is set. */
    public record Reference(String param, String imageUrl, String fileId) implements EditImage {
    }
}
