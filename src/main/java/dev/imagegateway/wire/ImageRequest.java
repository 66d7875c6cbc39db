package dev.imagegateway.wire;

import java.util.Map;

/**
 * A request as the caller sent it, every field of the API already of the right JSON type; null stands
 * for absent or JSON {@code null}, which both mean "use the default". Integers are longs so that an
 * out-of-range value is reported as such rather than as a type error.
 *
 * @param extra fields that are not fields of the API, by name, as plain Java values (String, Long,
 *        Double, Boolean, List, Map) in the order given; whether the model takes them is for the rules to say
 */
public record ImageRequest(
        String prompt,
        String model,
        Long n,
        String quality,
        String responseFormat,
        String outputFormat,
        Long outputCompression,
        Boolean stream,
        Long partialImages,
        String size,
        String moderation,
        String background,
        String style,
        String user,
        Map<String, Object> extra) {

    public ImageRequest {
        extra = extra == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(extra));
    }

    /** A request with no extra fields. */
    public ImageRequest(String prompt, String model, Long n, String quality, String responseFormat,
            String outputFormat, Long outputCompression, Boolean stream, Long partialImages, String size,
            String moderation, String background, String style, String user) {
        this(prompt, model, n, quality, responseFormat, outputFormat, outputCompression, stream, partialImages, size,
                moderation, background, style, user, Map.of());
    }

    /** Whether a field that only GPT image models take is present; it picks the seed's GPT default model. */
    public boolean hasGptImageOnlyField() {
        return outputFormat != null || outputCompression != null || stream != null || partialImages != null
                || moderation != null || background != null;
    }
}
