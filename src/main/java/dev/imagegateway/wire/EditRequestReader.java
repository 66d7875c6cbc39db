package dev.imagegateway.wire;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagegateway.error.ErrorCodes;
import dev.imagegateway.error.InvalidRequestException;
import dev.imagegateway.wire.EditRequest.EditImage;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads an edit in either of OpenAI's forms, as strictly as {@link RequestReader} reads a generation:
 * JSON with {@code images} and {@code mask} references, or {@code multipart/form-data} with {@code image}
 * (or repeated {@code image[]}) and {@code mask} file parts and every other field as a text part. Types
 * are decided here (a multipart {@code n} of {@code "two"} is {@code invalid_type}); values are for the
 * rules.
 */
@ApplicationScoped
public class EditRequestReader {

    private static final Set<String> JSON_EDIT_FIELDS = Set.of("images", "mask");
    private static final Set<String> IMAGE_PARTS = Set.of("image", "image[]");
    private static final Set<String> INTEGERS = Set.of("n", "output_compression", "partial_images");
    private static final Set<String> BOOLEANS = Set.of("stream");
    private static final Set<String> STRINGS = Set.of("prompt", "model", "quality", "response_format",
            "output_format", "size", "moderation", "background", "style", "user");

    private final RequestReader reader;

    public EditRequestReader(RequestReader reader) {
        this.reader = reader;
    }

    /** The JSON form: also what a batch line's body is. */
    public EditRequest readJson(byte[] body) {
        JsonNode root = reader.object(body);
        ImageRequest fields = reader.fields(root, JSON_EDIT_FIELDS);
        List<EditImage> images = new ArrayList<>();
        JsonNode given = root.get("images");
        if (given != null && !given.isNull()) {
            if (!given.isArray()) {
                throw RequestReader.wrongType("images", "an array", given);
            }
            for (int i = 0; i < given.size(); i++) {
                images.add(reference("images[" + i + "]", given.get(i)));
            }
        }
        JsonNode mask = root.get("mask");
        return new EditRequest(fields, EditRequest.Form.JSON, images,
                mask == null || mask.isNull() ? Optional.empty() : Optional.of(reference("mask", mask)), "images");
    }

    /** The multipart form, from the body and the boundary its Content-Type names. */
    public EditRequest readMultipart(byte[] body, String contentType) {
        List<MultipartBody.Part> parts = MultipartBody.parse(body, MultipartBody.boundary(contentType));
        List<EditImage> images = new ArrayList<>();
        Optional<EditImage> mask = Optional.empty();
        Map<String, String> text = new LinkedHashMap<>();
        for (MultipartBody.Part part : parts) {
            if (IMAGE_PARTS.contains(part.name())) {
                images.add(new EditRequest.Upload("image[" + images.size() + "]", part.filename(), part.body(),
                        part.offset(), part.length()));
            } else if (part.name().equals("mask")) {
                if (mask.isPresent()) {
                    throw duplicate("mask");
                }
                mask = Optional.of(new EditRequest.Upload("mask", part.filename(), part.body(), part.offset(),
                        part.length()));
            } else {
                String value = part.text();
                if (value == null) {
                    throw new InvalidRequestException(part.name(), ErrorCodes.INVALID_TYPE, "Invalid '"
                            + MultipartBody.printable(part.name()) + "': expected text in UTF-8, but the part holds"
                            + " other bytes. Only 'image', 'image[]' and 'mask' may be files.");
                }
                if (text.put(part.name(), value) != null) {
                    throw duplicate(part.name());
                }
            }
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        text.forEach((name, value) -> {
            if (!STRINGS.contains(name) && !INTEGERS.contains(name) && !BOOLEANS.contains(name)) {
                extra.put(name, value); // input_fidelity and any field of a model's entry: text, for the rules
            }
        });
        ImageRequest fields = new ImageRequest(
                text.get("prompt"),
                text.get("model"),
                integer(text, "n"),
                text.get("quality"),
                text.get("response_format"),
                text.get("output_format"),
                integer(text, "output_compression"),
                bool(text, "stream"),
                integer(text, "partial_images"),
                text.get("size"),
                text.get("moderation"),
                text.get("background"),
                text.get("style"),
                text.get("user"),
                extra);
        return new EditRequest(fields, EditRequest.Form.MULTIPART, images, mask, "image");
    }

    private static EditRequest.Reference reference(String param, JsonNode node) {
        if (!node.isObject()) {
            throw RequestReader.wrongType(param, "an object with 'image_url' or 'file_id'", node);
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!name.equals("image_url") && !name.equals("file_id")) {
                throw new InvalidRequestException(param + "." + name, ErrorCodes.UNKNOWN_PARAMETER,
                        "Unknown parameter: '" + param + "." + name + "'.");
            }
        }
        String imageUrl = text(node, param, "image_url");
        String fileId = text(node, param, "file_id");
        if ((imageUrl == null) == (fileId == null)) {
            throw new InvalidRequestException(param, imageUrl == null ? ErrorCodes.MISSING : ErrorCodes.INVALID_VALUE,
                    "Invalid '" + param + "': provide exactly one of 'image_url' or 'file_id'.");
        }
        return new EditRequest.Reference(param, imageUrl, fileId);
    }

    private static String text(JsonNode node, String param, String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw RequestReader.wrongType(param + "." + name, "a string", value);
        }
        return value.textValue();
    }

    private static Long integer(Map<String, String> text, String name) {
        String value = text.get(name);
        if (value == null) {
            return null;
        }
        String trimmed = value.strip();
        if (!trimmed.matches("[+-]?[0-9]{1,18}")) {
            throw new InvalidRequestException(name, ErrorCodes.INVALID_TYPE, "Invalid type for '" + name
                    + "': expected an integer, but got a string instead.");
        }
        return Long.parseLong(trimmed);
    }

    private static Boolean bool(Map<String, String> text, String name) {
        String value = text.get(name);
        if (value == null) {
            return null;
        }
        if (value.strip().equalsIgnoreCase("true")) {
            return true;
        }
        if (value.strip().equalsIgnoreCase("false")) {
            return false;
        }
        throw new InvalidRequestException(name, ErrorCodes.INVALID_TYPE, "Invalid type for '" + name
                + "': expected a boolean ('true' or 'false'), but got a string instead.");
    }

    private static InvalidRequestException duplicate(String name) {
        return new InvalidRequestException(name, ErrorCodes.INVALID_VALUE, "Invalid '" + MultipartBody.printable(name)
                + "': the field is given more than once.");
    }
}
