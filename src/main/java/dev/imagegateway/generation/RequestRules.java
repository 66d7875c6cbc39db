package dev.imagegateway.generation;

import dev.imagegateway.image.ImageType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Every rule of the contract's request table, per model, in one place. {@link #check} finds all
 * violations; {@link #plan} reports the first one or resolves the defaults.
 */
public final class RequestRules {

    static final String INVALID_VALUE = "invalid_value";
    static final String MISSING = "missing_required_parameter";

    private static final int MAX_N = 10;
    private static final int MAX_EDGE = 3840;
    private static final long MAX_PIXELS = 3840L * 2160L;
    private static final Pattern DIMENSIONS = Pattern.compile("([1-9][0-9]{0,4})x([1-9][0-9]{0,4})");
    private static final List<String> RESPONSE_FORMATS = List.of("url", "b64_json");
    private static final List<String> OUTPUT_FORMATS = List.of("png", "jpeg", "webp");
    private static final List<String> MODERATIONS = List.of("low", "auto");
    private static final List<String> BACKGROUNDS = List.of("transparent", "opaque", "auto");
    private static final List<String> STYLES = List.of("vivid", "natural");

    private RequestRules() {
    }

    /** The validated request with defaults resolved, or the first violation as an exception. */
    public static GenerationPlan plan(ImageRequest request) {
        List<Violation> violations = check(request);
        if (!violations.isEmpty()) {
            throw violations.get(0).toException();
        }
        ImageModel model = resolveModel(request).orElseThrow();
        String modelName = request.model() != null ? request.model() : model.id();
        String size = request.size();
        if (!model.isGptImage() && (size == null || size.equals("auto"))) {
            size = "1024x1024";
        }
        String outputFormat = request.outputFormat() != null ? request.outputFormat() : "png";
        ImageType expectedType = model.isGptImage() ? ImageType.ofOutputFormat(outputFormat) : ImageType.PNG;
        ResponseFormat responseFormat = responseFormat(request.responseFormat(), model);
        return new GenerationPlan(model, modelName, request.prompt(), request.n() == null ? 1 : request.n().intValue(),
                size, request.quality(), request.style(), request.outputFormat(),
                request.outputCompression() == null ? null : request.outputCompression().intValue(),
                request.moderation(), request.background(), request.user(), responseFormat, expectedType,
                Boolean.TRUE.equals(request.stream()),
                request.partialImages() == null ? null : request.partialImages().intValue());
    }

    /** Every rule the request breaks, in the order the fields are listed in the contract. */
    public static List<Violation> check(ImageRequest request) {
        List<Violation> violations = new ArrayList<>();
        Optional<ImageModel> resolved = resolveModel(request);
        if (resolved.isEmpty()) {
            violations.add(new Violation("model", INVALID_VALUE, "Invalid value: '" + request.model()
                    + "'. Supported values are: " + quoted(ImageModel.names()) + "."));
            checkPrompt(request.prompt(), Integer.MAX_VALUE, violations);
            return violations;
        }
        ImageModel model = resolved.get();
        checkPrompt(request.prompt(), model.maxPromptLength(), violations);
        checkN(request.n(), model, violations);
        checkOneOf("quality", request.quality(), model.qualities(), model, violations);
        checkOneOf("response_format", request.responseFormat(), RESPONSE_FORMATS, model, violations);
        checkSize(request.size(), model, violations);
        if (model.isGptImage()) {
            checkGptImageFields(request, model, violations);
        } else {
            rejectGptImageOnlyFields(request, model, violations);
        }
        if (request.style() != null) {
            if (model != ImageModel.DALL_E_3) {
                violations.add(onlyFor("style", "dall-e-3", model));
            } else {
                checkOneOf("style", request.style(), STYLES, model, violations);
            }
        }
        return violations;
    }

    private static Optional<ImageModel> resolveModel(ImageRequest request) {
        if (request.model() == null) {
            return Optional.of(request.hasGptImageOnlyField() ? ImageModel.GPT_IMAGE_1 : ImageModel.DALL_E_2);
        }
        return ImageModel.byName(request.model());
    }

    private static ResponseFormat responseFormat(String given, ImageModel model) {
        if (given == null) {
            // OpenAI's defaults: links for DALL·E, base64 for GPT image models (which only return base64).
            return model.isGptImage() ? ResponseFormat.B64_JSON : ResponseFormat.URL;
        }
        return given.equals("url") ? ResponseFormat.URL : ResponseFormat.B64_JSON;
    }

    private static void checkPrompt(String prompt, int maxLength, List<Violation> violations) {
        if (prompt == null) {
            violations.add(new Violation("prompt", MISSING, "Missing required parameter: 'prompt'."));
        } else if (prompt.isBlank()) {
            violations.add(new Violation("prompt", INVALID_VALUE, "Invalid 'prompt': empty string."));
        } else {
            int length = prompt.codePointCount(0, prompt.length());
            if (length > maxLength) {
                violations.add(new Violation("prompt", INVALID_VALUE,
                        "Invalid 'prompt': string too long. Expected a string with maximum length " + maxLength
                                + ", but got a string with length " + length + " instead."));
            }
        }
    }

    private static void checkN(Long n, ImageModel model, List<Violation> violations) {
        if (n == null) {
            return;
        }
        if (n < 1) {
            violations.add(new Violation("n", INVALID_VALUE,
                    "Invalid 'n': integer below minimum value. Expected a value greater than or equal to 1, but got "
                            + n + " instead."));
        } else if (n > MAX_N) {
            violations.add(new Violation("n", INVALID_VALUE,
                    "Invalid 'n': integer above maximum value. Expected a value less than or equal to " + MAX_N
                            + ", but got " + n + " instead."));
        } else if (model == ImageModel.DALL_E_3 && n != 1) {
            violations.add(new Violation("n", INVALID_VALUE,
                    "Invalid value for 'n': dall-e-3 only supports n=1."));
        }
    }

    private static void checkSize(String size, ImageModel model, List<Violation> violations) {
        if (size == null || model.sizes().contains(size)) {
            return;
        }
        if (size.equals("auto") && !model.isGptImage()) {
            return; // auto means 1024x1024 for DALL·E
        }
        if (model == ImageModel.GPT_IMAGE_2) {
            customSizeProblem(size).ifPresent(problem -> violations.add(new Violation("size", INVALID_VALUE,
                    "Invalid value for 'size': '" + size + "'. " + problem)));
            return;
        }
        violations.add(new Violation("size", INVALID_VALUE, "Invalid value: '" + size + "'. Supported values for "
                + model.id() + " are: " + quoted(model.sizes()) + "."));
    }

    /** Why a {@code WIDTHxHEIGHT} size is not one {@code gpt-image-2} can draw, if it is not. */
    static Optional<String> customSizeProblem(String size) {
        Matcher matcher = DIMENSIONS.matcher(size);
        if (!matcher.matches()) {
            return Optional.of("Expected 'auto', one of 1024x1024, 1536x1024, 1024x1536, or WIDTHxHEIGHT.");
        }
        long width = Long.parseLong(matcher.group(1));
        long height = Long.parseLong(matcher.group(2));
        if (width % 16 != 0 || height % 16 != 0) {
            return Optional.of("Width and height must both be divisible by 16.");
        }
        if (width > 3 * height || height > 3 * width) {
            return Optional.of("The aspect ratio must be between 1:3 and 3:1.");
        }
        if (Math.max(width, height) > MAX_EDGE) {
            return Optional.of("The longer edge must be at most " + MAX_EDGE + " pixels.");
        }
        if (width * height > MAX_PIXELS) {
            return Optional.of("The image must have at most 3840x2160 (" + MAX_PIXELS + ") pixels.");
        }
        return Optional.empty();
    }

    private static void checkGptImageFields(ImageRequest request, ImageModel model, List<Violation> violations) {
        checkOneOf("output_format", request.outputFormat(), OUTPUT_FORMATS, model, violations);
        String outputFormat = request.outputFormat() == null ? "png" : request.outputFormat();
        Long compression = request.outputCompression();
        if (compression != null) {
            if (compression < 0 || compression > 100) {
                violations.add(new Violation("output_compression", INVALID_VALUE,
                        "Invalid 'output_compression': expected a value between 0 and 100, but got " + compression
                                + " instead."));
            } else if (outputFormat.equals("png")) {
                violations.add(new Violation("output_compression", INVALID_VALUE,
                        "Invalid 'output_compression': only supported with output_format 'jpeg' or 'webp'."));
            }
        }
        Long partialImages = request.partialImages();
        if (partialImages != null && (partialImages < 0 || partialImages > 3)) {
            violations.add(new Violation("partial_images", INVALID_VALUE,
                    "Invalid 'partial_images': expected a value between 0 and 3, but got " + partialImages
                            + " instead."));
        }
        checkOneOf("moderation", request.moderation(), MODERATIONS, model, violations);
        checkOneOf("background", request.background(), BACKGROUNDS, model, violations);
        if ("transparent".equals(request.background())) {
            if (model == ImageModel.GPT_IMAGE_2) {
                violations.add(new Violation("background", INVALID_VALUE,
                        "Invalid 'background': gpt-image-2 does not support transparent backgrounds."));
            } else if (outputFormat.equals("jpeg")) {
                violations.add(new Violation("background", INVALID_VALUE,
                        "Invalid 'background': a transparent background needs output_format 'png' or 'webp'."));
            }
        }
    }

    private static void rejectGptImageOnlyFields(ImageRequest request, ImageModel model, List<Violation> violations) {
        record Field(String name, Object value) {
        }
        List<Field> fields = List.of(new Field("output_format", request.outputFormat()),
                new Field("output_compression", request.outputCompression()), new Field("stream", request.stream()),
                new Field("partial_images", request.partialImages()), new Field("moderation", request.moderation()),
                new Field("background", request.background()));
        for (Field field : fields) {
            if (field.value() != null) {
                violations.add(onlyFor(field.name(), "the GPT image models", model));
            }
        }
    }

    private static void checkOneOf(String param, String value, List<String> allowed, ImageModel model,
            List<Violation> violations) {
        if (value != null && !allowed.contains(value)) {
            violations.add(new Violation(param, INVALID_VALUE, "Invalid value: '" + value + "'. Supported values for "
                    + model.id() + " are: " + quoted(allowed) + "."));
        }
    }

    private static Violation onlyFor(String param, String supportedBy, ImageModel model) {
        return new Violation(param, INVALID_VALUE,
                "Invalid '" + param + "': only supported for " + supportedBy + ", not for " + model.id() + ".");
    }

    private static String quoted(List<String> values) {
        return values.stream().map(value -> "'" + value + "'").collect(Collectors.joining(", "));
    }
}
