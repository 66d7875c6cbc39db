package dev.imagegateway.generation;

import dev.imagegateway.catalog.EditLimits;
import dev.imagegateway.error.ErrorCodes;
import dev.imagegateway.files.FileObject;
import dev.imagegateway.files.FileStore;
import dev.imagegateway.image.Base64Text;
import dev.imagegateway.image.ImageHeader;
import dev.imagegateway.image.ImageType;
import dev.imagegateway.wire.EditRequest;
import dev.imagegateway.wire.EditRequest.EditImage;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The rules of {@code POST /v1/images/edits} (docs/api.md, "Edits"): the generation fields by
 * {@link RequestRules}, then the inputs by the model's catalog {@code edits}: whether it edits at all and
 * in which form, how many images, their formats by signature, their sizes, squareness, and the mask (a PNG
 * with alpha, as large as the first image). Every rule is checked before anything is sent upstream.
 *
 * <p>
 * The gateway never fetches an {@code image_url}: an {@code http(s)} URL is passed on for the upstream to
 * fetch, so no caller can make the gateway reach into its own network. A {@code data:} URL and a caller's
 * {@code file_id} are bytes the gateway can read, and are checked like uploads; a file's bytes are sent
 * upstream as a {@code data:} URL, since the upstream does not know the gateway's files.
 */
@Singleton
public class EditRules {

    /** OpenAI's longest {@code image_url} (its {@code ImageRefParam}), which bounds a file sent as a data: URL. */
    static final long MAX_IMAGE_URL_CHARS = 20_971_520;
    /** Base64 characters decoded to read a data: URL's header; a JPEG's frame header may follow long metadata. */
    private static final int HEADER_BASE64_CHARS = 256 * 1024;

    private final RequestRules rules;
    private final FileStore files;

    public EditRules(RequestRules rules, FileStore files) {
        this.rules = rules;
        this.files = files;
    }

    /**
     * The validated edit with its defaults resolved, ready for {@link ImageGeneration} or
     * {@link StreamedGeneration}; or the first violation as an exception. {@code owner} owns the files a
     * {@code file_id} may name.
     */
    public GenerationPlan plan(EditRequest request, String owner) {
        RequestRules.Target target = rules.target(request.fields(), true);
        List<Violation> violations = new ArrayList<>();
        Optional<EditLimits> limits = target.rules().edits();
        if (limits.isEmpty()) {
            violations.add(new Violation("model", ErrorCodes.INVALID_VALUE, "Invalid 'model': the model '"
                    + target.name() + "' does not edit images. Use a GPT image model (such as gpt-image-2) or dall-e-2."));
        }
        violations.addAll(rules.check(request.fields(), target, true));
        List<EditInputs.Input> images = new ArrayList<>();
        Optional<EditInputs.Input> mask = Optional.empty();
        if (limits.isPresent()) {
            checkForm(request, target.name(), limits.get(), violations);
            if (violations.isEmpty()) {
                for (EditImage image : request.images()) {
                    images.add(input(image, owner, limits.get().maxImageBytes(), violations));
                    image(images.get(images.size() - 1), target.name(), limits.get(), violations);
                }
            }
            if (violations.isEmpty() && request.mask().isPresent()) {
                EditInputs.Input given = input(request.mask().get(), owner, limits.get().maxMaskBytes(), violations);
                mask(given, images.get(0), limits.get(), violations);
                mask = Optional.ofNullable(given);
            }
        }
        if (!violations.isEmpty()) {
            throw violations.get(0).toException();
        }
        return rules.resolved(request.fields(), target).withEdit(new EditInputs(request.form(), images, mask));
    }

    /** What can be said before any image is looked at: the form, the number of images, whether a mask may come. */
    private static void checkForm(EditRequest request, String model, EditLimits limits, List<Violation> violations) {
        String param = request.imagesParam();
        if (request.form() == EditRequest.Form.JSON && !limits.json()) {
            violations.add(new Violation(param, ErrorCodes.INVALID_VALUE, "Invalid 'images': the model '" + model
                    + "' edits uploaded files only. Send the edit as multipart/form-data with the image as an 'image'"
                    + " file part."));
            return;
        }
        if (request.images().isEmpty()) {
            violations.add(new Violation(param, ErrorCodes.MISSING, "Missing required parameter: '" + param + "'."));
        } else if (request.images().size() > limits.maxImages()) {
            violations.add(new Violation(param, ErrorCodes.ARRAY_TOO_LONG, "Invalid '" + param + "': too many images."
                    + " The model '" + model + "' takes at most " + limits.maxImages() + " image"
                    + (limits.maxImages() == 1 ? "" : "s") + ", but got " + request.images().size() + " instead."));
        }
        if (request.mask().isPresent() && !limits.mask()) {
            violations.add(FieldChecks.unknownParameter("mask"));
        }
    }

    /** An input image against the model's formats, size and shape; nothing to check for a URL only the upstream reads. */
    private static void image(EditInputs.Input input, String model, EditLimits limits, List<Violation> violations) {
        if (input == null || input.header() == null) {
            return;
        }
        String format = input.header().type().extension();
        if (!limits.imageFormats().contains(format)) {
            violations.add(new Violation(input.param(), ErrorCodes.INVALID_IMAGE_FORMAT, "Invalid '" + input.param()
                    + "': the model '" + model + "' edits " + String.join(", ", limits.imageFormats())
                    + " images, but got a " + format.toUpperCase(Locale.ROOT) + " image."));
        } else if (limits.square() && input.header().width() != input.header().height()) {
            violations.add(new Violation(input.param(), ErrorCodes.INVALID_IMAGE_DIMENSIONS, "Invalid '"
                    + input.param() + "': the model '" + model + "' edits square images only, but got "
                    + input.header().width() + "x" + input.header().height() + "."));
        }
    }

    /** The mask: a PNG with an alpha channel, as wide and as high as the first image (when both are known). */
    private static void mask(EditInputs.Input mask, EditInputs.Input first, EditLimits limits,
            List<Violation> violations) {
        if (mask == null || mask.header() == null) {
            return;
        }
        ImageHeader header = mask.header();
        if (header.type() != ImageType.PNG || !header.hasAlpha()) {
            violations.add(new Violation("mask", ErrorCodes.INVALID_IMAGE_FORMAT, "Invalid 'mask': a mask must be a"
                    + " PNG with an alpha channel (its fully transparent areas are what gets edited), but got "
                    + (header.type() == ImageType.PNG ? "a PNG without alpha."
                            : "a " + header.type().extension()
                                    .toUpperCase(Locale.ROOT) + " image.")));
        } else if (first != null && first.header() != null && (header.width() != first.header().width()
                || header.height() != first.header().height())) {
            violations.add(new Violation("mask", ErrorCodes.INVALID_IMAGE_DIMENSIONS, "Invalid 'mask': the mask is "
                    + header.width() + "x" + header.height() + " but the image it applies to ('" + first.param()
                    + "') is " + first.header().width() + "x" + first.header().height()
                    + "; they must have the same dimensions."));
        }
    }

    /** The input as the gateway can send it, its header read where the gateway holds the bytes; null if refused. */
    private EditInputs.Input input(EditImage image, String owner, long maxBytes, List<Violation> violations) {
        if (image instanceof EditRequest.Upload upload) {
            return held(upload.param(), upload.body(), upload.offset(), upload.length(), maxBytes, violations);
        }
        EditRequest.Reference reference = (EditRequest.Reference) image;
        if (reference.fileId() != null) {
            return file(reference, owner, maxBytes, violations);
        }
        return url(reference.param() + ".image_url", reference.param(), reference.imageUrl(), maxBytes, violations);
    }

    private static EditInputs.Input held(String param, byte[] body, int offset, int length, long maxBytes,
            List<Violation> violations) {
        if (length >= maxBytes) {
            violations.add(tooLarge(param, length, maxBytes));
            return null;
        }
        Optional<ImageHeader> header = ImageHeader.read(body, offset, length);
        if (header.isEmpty()) {
            violations.add(notAnImage(param));
            return null;
        }
        return EditInputs.Input.bytes(param, header.get(), body, offset, length);
    }

    /** A caller's file: found by owner (a 404 for another caller's), bounded in size, read once, checked. */
    private EditInputs.Input file(EditRequest.Reference reference, String owner, long maxBytes,
            List<Violation> violations) {
        String param = reference.param() + ".file_id";
        if (owner == null) {
            violations.add(new Violation(param, ErrorCodes.INVALID_VALUE, "Invalid '" + param + "': file_id is not"
                    + " available here; use image_url."));
            return null;
        }
        FileObject file = files.require(owner, reference.fileId(), param);
        long dataUrlChars = 4 * ((file.bytes() + 2) / 3) + 32;
        if (file.bytes() >= maxBytes || dataUrlChars > MAX_IMAGE_URL_CHARS) {
            violations.add(tooLarge(param, file.bytes(), Math.min(maxBytes, (MAX_IMAGE_URL_CHARS - 32) / 4 * 3)));
            return null;
        }
        byte[] content;
        try (InputStream in = files.open(owner, reference.fileId())) {
            content = in.readNBytes((int) file.bytes() + 1);
        } catch (IOException e) {
            throw new UncheckedIOException("file " + reference.fileId() + " could not be read", e);
        }
        return held(param, content, 0, content.length, maxBytes, violations);
    }

    /**
     * An {@code image_url}: an {@code http(s)} URL passes unread (only the upstream fetches it); a
     * {@code data:} URL must be base64 of a PNG, JPEG or WebP image, and its header is read from its start.
     */
    private static EditInputs.Input url(String param, String inputParam, String url, long maxBytes,
            List<Violation> violations) {
        String lower = url.regionMatches(true, 0, "data:", 0, 5) ? "data:" : url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("data:")) {
            int comma = url.indexOf(',');
            String meta = comma < 0 ? "" : url.substring(5, comma).toLowerCase(Locale.ROOT);
            if (comma < 0 || !meta.endsWith(";base64")) {
                violations.add(new Violation(param, ErrorCodes.INVALID_VALUE, "Invalid '" + param + "': a data: URL"
                        + " must be base64, as data:image/png;base64,…"));
                return null;
            }
            String data = url.substring(comma + 1);
            long bytes = data.length() / 4L * 3;
            if (bytes >= maxBytes) {
                violations.add(tooLarge(param, bytes, maxBytes));
                return null;
            }
            if (!Base64Text.isWellFormed(data)) {
                violations.add(new Violation(param, ErrorCodes.INVALID_VALUE, "Invalid '" + param + "': the data: URL"
                        + " is not well-formed base64."));
                return null;
            }
            int headChars = Math.min(data.length(), HEADER_BASE64_CHARS) / 4 * 4;
            byte[] head = Base64.getDecoder().decode(data.substring(0, headChars));
            Optional<ImageHeader> header = ImageHeader.read(head);
            if (header.isEmpty()) {
                violations.add(notAnImage(param));
                return null;
            }
            return EditInputs.Input.url(inputParam, header.get(), url);
        }
        if (!isWebUrl(url)) {
            violations.add(new Violation(param, ErrorCodes.INVALID_VALUE, "Invalid '" + param + "': expected an"
                    + " http(s) URL the upstream can fetch, or a data: URL of a base64 PNG, JPEG or WebP image."));
            return null;
        }
        return EditInputs.Input.url(inputParam, null, url);
    }

    private static boolean isWebUrl(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("https") || scheme.equals("http")) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static Violation notAnImage(String param) {
        return new Violation(param, ErrorCodes.INVALID_IMAGE_FORMAT, "Invalid '" + param + "': the file is not a"
                + " PNG, JPEG or WebP image (checked by its signature and header).");
    }

    private static Violation tooLarge(String param, long bytes, long maxBytes) {
        return new Violation(param, ErrorCodes.IMAGE_TOO_LARGE, "Invalid '" + param + "': the image is " + bytes
                + " bytes; it must be smaller than " + maxBytes + " bytes.");
    }

}
