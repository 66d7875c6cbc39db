package dev.imagegateway.generation;

import dev.imagegateway.image.ImageType;

/**
 * A validated request with its defaults resolved: what to ask upstream for and how to answer.
 * Optional upstream fields stay null when the caller left them to the upstream's default.
 *
 * @param modelName the model name as the caller gave it (or the inferred default), sent upstream
 * @param size the size to send upstream; DALL·E's {@code auto} is already {@code 1024x1024}
 * @param expectedType the format the upstream's bytes must have
 * @param stream whether the caller asked for an event stream ({@code stream=true}, GPT image models only)
 * @param partialImages how many partial images the caller asked for (0–3), null when not given
 */
public record GenerationPlan(
        ImageModel model,
        String modelName,
        String prompt,
        int n,
        String size,
        String quality,
        String style,
        String outputFormat,
        Integer outputCompression,
        String moderation,
        String background,
        String user,
        ResponseFormat responseFormat,
        ImageType expectedType,
        boolean stream,
        Integer partialImages) {
}
