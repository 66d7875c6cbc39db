package dev.imagegateway.generation;

import dev.imagegateway.error.GatewayException;
import dev.imagegateway.error.PayloadTooLargeException;
import dev.imagegateway.error.UpstreamFailureException;
import dev.imagegateway.error.UpstreamFailureException.Reason;
import dev.imagegateway.observability.RequestLogFields;
import dev.imagegateway.storage.ImageStore;
import dev.imagegateway.upstream.UpstreamImageEvent;
import dev.imagegateway.upstream.UpstreamImageStream;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The use case for {@code stream=true}: relays the upstream's partial and completed images, checks that
 * each is an image of the promised type, and for {@code response_format=url} keeps the finished images
 * in the bucket and links to them instead of inlining them.
 *
 * <p>
 * Lambda (behind API Gateway or a buffered Function URL) delivers an answer only once it is whole,
 * and at most 6 MB of it: partial images are dropped, earliest first, until the rest fits, and finished
 * base64 images that cannot fit are kept in the bucket and reported as a whole-answer request would.
 */
@ApplicationScoped
public class StreamedGeneration {

    private final UpstreamImageStream upstream;
    private final ImageStore store;
    private final ResponseBudget budget;
    private final Clock clock = Clock.systemUTC();

    public StreamedGeneration(UpstreamImageStream upstream, ImageStore store, ResponseBudget budget) {
        this.upstream = upstream;
        this.store = store;
        this.budget = budget;
    }

    /**
     * Streams a generation; the upstream part ends by {@code deadline}. Throws what the upstream's
     * refusal or absence means when it never accepted the request; every later failure is returned.
     */
    public StreamedImages generate(GenerationPlan plan, String requestId, Deadline deadline) {
        RequestLogFields.put(RequestLogFields.STREAM, true);
        int partialImages = plan.partialImages() == null ? 0 : plan.partialImages();
        UpstreamImageStream.Result streamed = upstream.generate(plan.route(), plan.upstreamCall(), partialImages,
                plan.n(), deadline.at());
        Instant generatedAt = clock.instant();

        GatewayException failure = streamed.failure();
        List<UpstreamImageEvent> partials = new ArrayList<>();
        List<UpstreamImageEvent> completed = new ArrayList<>();
        List<ImageStore.Image> finishedImages = new ArrayList<>();
        for (UpstreamImageEvent event : streamed.events()) {
            if (!event.isPartialImage() && !event.isCompleted()) {
                continue; // events a newer backend may add are not ours to relay
            }
            byte[] bytes;
            try {
                bytes = UpstreamImages.decoded(event.b64Json(), plan.expectedType());
            } catch (UpstreamFailureException invalid) {
                failure = invalid;
                break;
            }
            if (event.isPartialImage()) {
                partials.add(event);
            } else {
                completed.add(event);
                finishedImages.add(new ImageStore.Image(bytes, plan.expectedType()));
            }
        }
        if (failure == null && completed.isEmpty()) {
            failure = new UpstreamFailureException(Reason.INVALID_RESPONSE,
                    "The image backend's stream ended without a completed image.");
        }
        List<StreamedImages.Event> finished;
        try {
            finished = finish(plan, requestId, generatedAt, completed, finishedImages, deadline);
        } catch (GatewayException e) {
            failure = e;
            finished = List.of();
        }
        return fitted(partials, finished, failure, generatedAt, plan.edit().isPresent());
    }

    /**
     * The finished images as they will be answered: stored and linked for {@code url}; for
     * {@code b64_json} checked against the response limit (and kept, so they are not lost, when over it).
     */
    private List<StreamedImages.Event> finish(GenerationPlan plan, String requestId, Instant generatedAt,
            List<UpstreamImageEvent> completed, List<ImageStore.Image> images, Deadline deadline) {
        List<StreamedImages.Event> finished = new ArrayList<>(completed.size());
        if (completed.isEmpty()) {
            return finished;
        }
        if (plan.responseFormat() == ResponseFormat.URL) {
            List<ImageStore.StoredImage> stored = store.storeAll(requestId, generatedAt, images, deadline.storageAt());
            for (int i = 0; i < stored.size(); i++) {
                finished.add(event(StreamedImages.Kind.COMPLETED, completed.get(i), null, stored.get(i).url(),
                        generatedAt));
            }
            return finished;
        }
        long base64Bytes = completed.stream().mapToLong(event -> event.b64Json().length()).sum();
        if (base64Bytes > budget.forBase64(completed.size())) {
            store.storeAll(requestId, generatedAt, images, deadline.storageAt());
            Log.infof("Streamed answer of %d base64 bytes is over the limit; %d images kept in the bucket",
                    base64Bytes, images.size());
            throw PayloadTooLargeException.response(base64Bytes, budget.limit(), requestId);
        }
        for (UpstreamImageEvent event : completed) {
            finished.add(event(StreamedImages.Kind.COMPLETED, event, event.b64Json(), null, generatedAt));
        }
        return finished;
    }

    /**
     * The answer's events: partial images first, then the finished ones, with partial images dropped,
     * earliest first, while the whole would not fit the response limit.
     */
    private StreamedImages fitted(List<UpstreamImageEvent> partials, List<StreamedImages.Event> finished,
            GatewayException failure, Instant generatedAt, boolean edit) {
        long left = budget.forBase64(finished.size());
        for (StreamedImages.Event event : finished) {
            left -= event.b64Json() == null ? 0 : event.b64Json().length();
        }
        long partialBytes = partials.stream().mapToLong(StreamedGeneration::eventBytes).sum();
        int dropped = 0;
        while (dropped < partials.size() && partialBytes > left) {
            partialBytes -= eventBytes(partials.get(dropped));
            dropped++;
        }
        List<StreamedImages.Event> events = new ArrayList<>();
        for (UpstreamImageEvent partial : partials.subList(dropped, partials.size())) {
            events.add(event(StreamedImages.Kind.PARTIAL_IMAGE, partial, partial.b64Json(), null, generatedAt));
        }
        events.addAll(finished);
        if (dropped > 0) {
            Log.infof("%d partial images dropped to keep the answer within %d bytes", dropped, budget.limit());
            RequestLogFields.put(RequestLogFields.PARTIAL_IMAGES_DROPPED, dropped);
        }
        return new StreamedImages(events, failure, dropped, edit);
    }

    private static long eventBytes(UpstreamImageEvent event) {
        return ResponseBudget.eventBytes(event.b64Json().length());
    }

    private static StreamedImages.Event event(StreamedImages.Kind kind, UpstreamImageEvent event, String b64Json,
            URI url, Instant generatedAt) {
        long createdAt = event.createdAt() != null ? event.createdAt() : generatedAt.getEpochSecond();
        return new StreamedImages.Event(kind, b64Json, url,
                kind == StreamedImages.Kind.PARTIAL_IMAGE ? event.partialImageIndex() : null, event.size(),
                event.quality(), event.background(), event.outputFormat(), createdAt,
                kind == StreamedImages.Kind.COMPLETED ? event.usage() : null);
    }
}
