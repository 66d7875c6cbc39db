package dev.imagegateway.generation;

/**
 * A request as the caller sent it, every field already of the right JSON type; null stands for absent
 * or JSON {@code null}, which both mean "use the default". Integers are longs so that an out-of-range
 * value is reported as such rather than as a type error.
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
        String user) {

    /** Whether a field that only GPT image models take is present; it makes a model-less request gpt-image-1. */
    public boolean hasGptImageOnlyField() {
        return outputFormat != null || outputCompression != null || stream != null || partialImages != null
                || moderation != null || background != null;
    }
}
