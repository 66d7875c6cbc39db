package dev.imagegateway.generation;

import dev.imagegateway.config.GatewayConfig;
import dev.imagegateway.error.PayloadTooLargeException;
import dev.imagegateway.error.UpstreamFailureException;
import dev.imagegateway.error.UpstreamFailureException.Reason;
import dev.imagegateway.image.ImageType;
import dev.imagegateway.observability.RequestLogFields;
import dev.imagegateway.storage.ImageStore;
import dev.imagegateway.upstream.Deadline;
import dev.imagegateway.upstream.UpstreamImageRequest;
import dev.imagegateway.upstream.UpstreamImagesClient;
import dev.imagegateway.upstream.UpstreamImagesResponse;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The use case: asks the upstream for base64 images, checks they are images of the promised type,
 * and either keeps them in the bucket behind pre-signed links or hands the base64 back.
 */
@ApplicationScoped
public class ImageGeneration {

    /** Room for everything in an answer besides the base64 strings (JSON keys, prompts, usage). */
    private static final int ANSWER_OVERHEAD_BYTES = 64 * 1024;

    private final UpstreamImagesClient upstream;
    private final ImageStore store;
    private final GatewayConfig config;
    private final Clock clock = Clock.systemUTC();

    public ImageGeneration(UpstreamImagesClient upstream, ImageStore store, GatewayConfig config) {
        this.upstream = upstream;
        this.store = store;
        this.config = config;
    }

    /** Generates with the configured upstream timeout as the only deadline. */
    public GeneratedImages generate(GenerationPlan plan, String requestId) {
        return generate(plan, requestId, Deadline.of(clock, config.upstream().timeout(), null));
    }

    /** Generates; the upstream part, retries included, ends by {@code deadline}. */
    public GeneratedImages generate(GenerationPlan plan, String requestId, Deadline deadline) {
        long upstreamStarted = System.nanoTime();
        UpstreamImagesResponse answer = upstream.generate(upstreamRequest(plan), deadline);
        RequestLogFields.put(RequestLogFields.UPSTREAM_MS, (System.nanoTime() - upstreamStarted) / 1_000_000);
        Instant generatedAt = clock.instant();
        List<ImageStore.Image> images = decode(answer, plan.expectedType());
        List<GeneratedImages.Item> items = new ArrayList<>(images.size());
        if (plan.responseFormat() == ResponseFormat.URL) {
            List<String> keys = storeAll(requestId, generatedAt, images);
            for (int i = 0; i < keys.size(); i++) {
                items.add(new GeneratedImages.Item(store.link(keys.get(i)), keys.get(i), null,
                        revisedPrompt(answer, i)));
            }
        } else {
            keepIfTooLargeToReturn(answer, images, requestId, generatedAt);
            for (int i = 0; i < images.size(); i++) {
                items.add(new GeneratedImages.Item(null, null, answer.data().get(i).b64Json(),
                        revisedPrompt(answer, i)));
            }
        }
        long created = answer.created() != null ? answer.created() : generatedAt.getEpochSecond();
        return new GeneratedImages(created, items, answer.background(), answer.outputFormat(), answer.size(),
                answer.quality(), answer.usage());
    }

    /**
     * The caller paid for these images; when they cannot be returned inline they are kept, and the
     * error says where, so they are not lost.
     */
    private void keepIfTooLargeToReturn(UpstreamImagesResponse answer, List<ImageStore.Image> images,
            String requestId, Instant generatedAt) {
        long base64Bytes = answer.data().stream().mapToLong(image -> image.b64Json().length()).sum();
        int limit = config.limits().maxResponseBytes();
        if (base64Bytes + ANSWER_OVERHEAD_BYTES > limit) {
            storeAll(requestId, generatedAt, images);
            Log.infof("Answer of %d base64 bytes is over the limit; %d images kept in the bucket", base64Bytes,
                    images.size());
            throw PayloadTooLargeException.response(base64Bytes, limit, requestId);
        }
    }

    private List<String> storeAll(String requestId, Instant generatedAt, List<ImageStore.Image> images) {
        long started = System.nanoTime();
        List<String> keys = store.storeAll(requestId, generatedAt, images);
        RequestLogFields.add(RequestLogFields.UPLOAD_MS, (System.nanoTime() - started) / 1_000_000);
        RequestLogFields.add(RequestLogFields.IMAGES_STORED, keys.size());
        RequestLogFields.add(RequestLogFields.BYTES_STORED, images.stream().mapToLong(i -> i.bytes().length).sum());
        return keys;
    }

    private static UpstreamImageRequest upstreamRequest(GenerationPlan plan) {
        // Always base64, so the bytes pass through the gateway: DALL·E must be told, GPT image models
        // return nothing else and refuse the parameter.
        String responseFormat = plan.model().isGptImage() ? null : "b64_json";
        return new UpstreamImageRequest(plan.modelName(), plan.prompt(), plan.n(), plan.size(), plan.quality(),
                plan.style(), responseFormat, plan.outputFormat(), plan.outputCompression(), plan.moderation(),
                plan.background(), plan.user());
    }

    private static List<ImageStore.Image> decode(UpstreamImagesResponse answer, ImageType expected) {
        List<ImageStore.Image> images = new ArrayList<>(answer.data().size());
        for (UpstreamImagesResponse.Image image : answer.data()) {
            if (image == null || image.b64Json() == null) {
                throw new UpstreamFailureException(Reason.INVALID_RESPONSE,
                        "The image backend answered without base64 image data.");
            }
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(image.b64Json());
            } catch (IllegalArgumentException e) {
                throw new UpstreamFailureException(Reason.INVALID_RESPONSE,
                        "The image backend's image data is not valid base64.", e);
            }
            if (!expected.matches(bytes)) {
                throw new UpstreamFailureException(Reason.INVALID_RESPONSE,
                        "The image backend's data is not a " + expected.extension().toUpperCase() + " image.");
            }
            images.add(new ImageStore.Image(bytes, expected));
        }
        return images;
    }

    private static String revisedPrompt(UpstreamImagesResponse answer, int index) {
        return answer.data().get(index).revisedPrompt();
    }
}
