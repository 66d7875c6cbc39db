package dev.imagegateway.generation;

import dev.imagegateway.config.StartupSecrets;
import dev.imagegateway.image.ImageType;
import dev.imagegateway.upstream.UpstreamImageCall;
import dev.imagegateway.upstream.UpstreamImageRequest;
import dev.imagegateway.upstream.UpstreamRoute;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated request with its defaults resolved: what to ask upstream for and how to answer.
 * Optional upstream fields stay null when the caller left them to the upstream's default.
 *
 * @param modelName the model as the caller named it (or the default), for logs and answers
 * @param upstreamModel the name to send upstream: the catalog entry's {@code upstream_model} (an alias),
 *        else {@code modelName}
 * @param upstream the named upstream of the model's catalog entry; empty for the default upstream
 * @param fallbacks named upstreams to try in order where a retry is safe; empty for none
 * @param catalogued whether the model is in the catalog (false: an unknown model passed through)
 * @param size the size to send upstream; DALL·E's {@code auto} is already {@code 1024x1024}
 * @param upstreamResponseFormat the {@code response_format} to send upstream; empty to send none
 * @param expectedType the format the upstream's bytes must have
 * @param stream whether the caller asked for an event stream ({@code stream=true}, GPT image models only)
 * @param partialImages how many partial images the caller asked for (0–3), null when not given
 * @param extraFields fields the model's entry adds to the API (e.g. {@code complexity}), to send upstream as given
 * @param edit the input images and mask of an edit, checked; empty for a generation
 */
public record GenerationPlan(
        String modelName,
        String upstreamModel,
        Optional<String> upstream,
        List<String> fallbacks,
        boolean catalogued,
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
        Optional<String> upstreamResponseFormat,
        ImageType expectedType,
        boolean stream,
        Integer partialImages,
        Map<String, Object> extraFields,
        Optional<EditInputs> edit) {

    /**
     * The upstream's request, the one builder for whole, streamed and priming calls. Always base64, so
     * the bytes pass through the gateway: the catalog says which models must be told
     * ({@code upstream_response_format}); GPT image models return nothing else and refuse the parameter.
     */
    public UpstreamImageRequest upstreamRequest() {
        return new UpstreamImageRequest(upstreamModel, prompt, n, size, quality, style,
                upstreamResponseFormat.orElse(null), outputFormat, outputCompression, moderation, background, user,
                extraFields);
    }

    /** The upstream call: a generation, or an edit in the form the caller sent it. */
    public UpstreamImageCall upstreamCall() {
        UpstreamImageRequest request = upstreamRequest();
        return edit.map(inputs -> inputs.call(request)).orElseGet(() -> new UpstreamImageCall.Generation(request));
    }

    /** This plan as an edit of {@code inputs}. */
    GenerationPlan withEdit(EditInputs inputs) {
        return new GenerationPlan(modelName, upstreamModel, upstream, fallbacks, catalogued, prompt, n, size, quality,
                style, outputFormat, outputCompression, moderation, background, user, responseFormat,
                upstreamResponseFormat, expectedType, stream, partialImages, extraFields, Optional.of(inputs));
    }

    /** The upstreams to ask, in order: the entry's own (or the default one), then its fallbacks. */
    public UpstreamRoute route() {
        return new UpstreamRoute(upstream.orElse(StartupSecrets.DEFAULT_UPSTREAM), fallbacks);
    }
}
