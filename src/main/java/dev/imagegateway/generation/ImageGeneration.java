package dev.imagegateway.generation;

import dev.imagegateway.error.PayloadTooLargeException;
import dev.imagegateway.error.UpstreamFailureException;
import dev.imagegateway.error.UpstreamFailureException.Reason;
import dev.imagegateway.image.ImageType;
import dev.imagegateway.storage.ImageStore;
import dev.imagegateway.upstream.UpstreamImagesClient;
import dev.imagegateway.upstream.UpstreamImagesResponse;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The use case: asks the upstream for base64 images, checks they are images of the promised type,
 * and either keeps them in the bucket behind pre-signed links or hands the base64 back.
 */
@ApplicationScoped
public class ImageGeneration {

    private final UpstreamImagesClient upstream;
    private final ImageStore store;
    private final RequestDeadlines deadlines;
    private final ResponseBudget budget;
    private final Clock clock = Clock.systemUTC();

    public ImageGeneration(UpstreamImagesClient upstream, ImageStore store, RequestDeadlines deadlines,
            ResponseBudget budget) {
        this.upstream = upstream;
        this.store = store;
        this.deadlines = deadlines;
        this.budget = budget;
    }

    /** Generates with the upstream's timeout (and the storage reserve after it) as the only deadline. */
    public GeneratedImages generate(GenerationPlan plan, String requestId) {
        return generate(plan, requestId, deadlines.of(plan, null));
    }

    /** Generates; the upstream part, retries included, ends by {@code deadline}. */
    public GeneratedImages generate(GenerationPlan plan, String requestId, Deadline deadline) {
        return generate(plan, requestId, deadline, true);
    }

    /**
     * Like {@link #generate(GenerationPlan, String, Deadline)}, for an answer that goes into a file (a
     * batch's results), not into a Lambda answer: inline base64 has no 6 MB bound there, which is what
     * makes a batch the way to large {@code b64_json} answers.
     */
    public GeneratedImages generateIntoFile(GenerationPlan plan, String requestId, Deadline deadline) {
        return generate(plan, requestId, deadline, false);
    }

    private GeneratedImages generate(GenerationPlan plan, String requestId, Deadline deadline, boolean bounded) {
        Instant generatedAt = clock.instant();
        return plan.responseFormat() == ResponseFormat.URL
                ? generateLinks(plan, requestId, deadline, generatedAt)
                : generateInline(plan, requestId, deadline, generatedAt, bounded);
    }

    /**
     * Links: each image is decoded off the upstream's answer and its upload started at once, while the
     * next image is still being read; the links are signed locally once all are stored.
     */
    private GeneratedImages generateLinks(GenerationPlan plan, String requestId, Deadline deadline,
            Instant generatedAt) {
        ImageType expected = plan.expectedType();
        ImageStore.Uploads uploads = store.uploads(requestId, generatedAt);
        UpstreamImagesResponse answer;
        try {
            answer = upstream.generate(plan.route(), plan.upstreamCall(), deadline.at(),
                    (index, bytes) -> uploads.add(index,
                            new ImageStore.Image(UpstreamImages.checked(bytes, expected), expected)));
        } catch (RuntimeException e) {
            // What was already stored belongs to no answer: remove it rather than leave it unaccounted for.
            uploads.abandon();
            throw e;
        }
        List<ImageStore.StoredImage> stored = uploads.links(deadline.storageAt());
        List<GeneratedImages.Item> items = new ArrayList<>(stored.size());
        for (int i = 0; i < stored.size(); i++) {
            items.add(new GeneratedImages.Item(stored.get(i).url(), stored.get(i).key(), null, revisedPrompt(answer, i)));
        }
        return generated(answer, items, generatedAt);
    }

    /**
     * Inline base64: passed through as the upstream sent it, after one scan that it is well-formed base64.
     * Only the first bytes of each image are decoded, to check its signature; the rest is decoded only if
     * the answer is too large to return.
     */
    private GeneratedImages generateInline(GenerationPlan plan, String requestId, Deadline deadline,
            Instant generatedAt, boolean bounded) {
        UpstreamImagesResponse answer = upstream.generate(plan.route(), plan.upstreamCall(), deadline.at(), null);
        for (UpstreamImagesResponse.Image image : answer.data()) {
            if (!image.b64Json().isWellFormed()) {
                throw new UpstreamFailureException(Reason.INVALID_RESPONSE,
                        "The image backend's image data is not valid base64.");
            }
            UpstreamImages.checked(image.b64Json().leadingBytes(), plan.expectedType());
        }
        if (bounded) {
            keepIfTooLargeToReturn(answer, plan.expectedType(), requestId, generatedAt, deadline);
        }
        List<GeneratedImages.Item> items = new ArrayList<>(answer.data().size());
        for (int i = 0; i < answer.data().size(); i++) {
            items.add(new GeneratedImages.Item(null, null, answer.data().get(i).b64Json(), revisedPrompt(answer, i)));
        }
        return generated(answer, items, generatedAt);
    }

    private static GeneratedImages generated(UpstreamImagesResponse answer, List<GeneratedImages.Item> items,
            Instant generatedAt) {
        long created = answer.created() != null ? answer.created() : generatedAt.getEpochSecond();
        return new GeneratedImages(created, items, answer.background(), answer.outputFormat(), answer.size(),
                answer.quality(), answer.usage());
    }

    /**
     * The caller paid for these images; when they cannot be returned inline they are kept, and the
     * error says where, so they are not lost.
     */
    private void keepIfTooLargeToReturn(UpstreamImagesResponse answer, ImageType expected, String requestId,
            Instant generatedAt, Deadline deadline) {
        long base64Bytes = answer.data().stream().mapToLong(image -> image.b64Json().length()).sum();
        if (base64Bytes > budget.forBase64(0)) {
            List<ImageStore.Image> images = new ArrayList<>(answer.data().size());
            for (UpstreamImagesResponse.Image image : answer.data()) {
                images.add(new ImageStore.Image(UpstreamImages.decoded(image.b64Json(), expected), expected));
            }
            store.storeAll(requestId, generatedAt, images, deadline.storageAt());
            Log.infof("Answer of %d base64 bytes is over the limit; %d images kept in the bucket", base64Bytes,
                    answer.data().size());
            throw PayloadTooLargeException.response(base64Bytes, budget.limit(), requestId);
        }
    }

    private static String revisedPrompt(UpstreamImagesResponse answer, int index) {
        return answer.data().get(index).revisedPrompt();
    }
}
