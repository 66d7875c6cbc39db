package dev.imagegateway.batch.engine;

import dev.imagegateway.config.GatewayConfig;
import dev.imagegateway.error.ConflictException;
import dev.imagegateway.error.InvalidRequestException;
import dev.imagegateway.error.NotFoundException;
import dev.imagegateway.error.QueueUnavailableException;
import dev.imagegateway.files.FileObject;
import dev.imagegateway.files.FileStore;
import dev.imagegateway.storage.NewestFirstIds;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the {@code /v1/batches} routes do: create (validate the request, write batch.json, send the start
 * message, answer at once), retrieve, list and cancel. Every batch is its owner's: another owner's id
 * is a 404, and never in their list.
 */
@ApplicationScoped
public class BatchRequests {

    static final String BATCH_PURPOSE = "batch";

    private final BatchStore store;
    private final FileStore files;
    private final WorkQueue queue;
    private final Duration completionWindow;
    private final Clock clock = Clock.systemUTC();

    public BatchRequests(BatchStore store, FileStore files, WorkQueue queue, GatewayConfig config) {
        this.store = store;
        this.files = files;
        this.queue = queue;
        this.completionWindow = config.batches().completionWindow();
    }

    /** A checked create request; see BatchesResource for the reading of the body. */
    public record Create(String inputFileId, String endpoint, String completionWindow, Map<String, String> metadata) {
    }

    public BatchObject create(String owner, Create request) {
        BatchObject batch = register(owner, newId(), request);
        try {
            sendStart(owner, batch.id());
        } catch (RuntimeException e) {
            // A batch nobody will start must not stay "validating" for a day.
            markFailed(owner, batch.id());
            throw e;
        }
        return batch;
    }

    /** A new batch id, newest first in listings; the sweep chooses one before it creates its batch. */
    public String newId() {
        return NewestFirstIds.next(BatchObject.ID_PREFIX, clock.instant());
    }

    /**
     * What {@link #create} checks and writes, under an id chosen beforehand, without the start message
     * (see {@link #sendStart}). Repeatable with the same id: the record is created once ({@code
     * If-None-Match: *}), a repeat leaves it as it is. The scheduled sweep creates its batches so.
     */
    public BatchObject register(String owner, String id, Create request) {
        if (!queue.configured()) {
            throw QueueUnavailableException.notConfigured();
        }
        if (!BatchEndpoints.ACCEPTED.contains(request.endpoint())) {
            throw new InvalidRequestException("endpoint", "invalid_value", "Invalid value: '" + request.endpoint()
                    + "'. Supported values are: " + quoted(BatchEndpoints.ACCEPTED) + ".");
        }
        if (!BatchEndpoints.COMPLETION_WINDOW.equals(request.completionWindow())) {
            throw new InvalidRequestException("completion_window", "invalid_value", "Invalid value: '"
                    + request.completionWindow() + "'. Supported values are: '" + BatchEndpoints.COMPLETION_WINDOW
                    + "'.");
        }
        FileObject input = files.require(owner, request.inputFileId(), "input_file_id");
        if (!BATCH_PURPOSE.equals(input.purpose())) {
            throw new InvalidRequestException("input_file_id", "invalid_value", "The input file " + input.id()
                    + " has purpose '" + input.purpose() + "'; a batch's input file must be uploaded with purpose"
                    + " 'batch'.");
        }
        Instant now = clock.instant();
        BatchObject batch = new BatchObject(id, BatchObject.OBJECT, request.endpoint(), input.id(),
                request.completionWindow(), BatchStatus.VALIDATING, null, null, null, now.getEpochSecond(), null,
                now.plus(completionWindow).getEpochSecond(), null, null, null, null, null, null,
                new BatchObject.RequestCounts(0, 0, 0), request.metadata(), null);
        store.create(owner, new BatchRecord(batch, new BatchRecord.Engine(0, 0, null, null, null, null, null)));
        Log.infof("Batch %s created for %s", id, input.id());
        return batch;
    }

    /** Sends the batch's start message: the worker validates the input file and enqueues its lines. */
    public void sendStart(String owner, String id) {
        queue.send(WorkMessage.start(owner, id), Duration.ZERO);
    }

    public BatchObject retrieve(String owner, String id) {
        return find(owner, id).batch();
    }

    /** One page of the owner's batches, newest first. */
    public BatchList list(String owner, String after, int limit) {
        if (after != null && !NewestFirstIds.looksLike(BatchObject.ID_PREFIX, after)) {
            return new BatchList(List.of(), false);
        }
        List<String> ids = store.ids(owner, after, limit + 1);
        List<BatchObject> batches = new ArrayList<>();
        for (String id : ids.subList(0, Math.min(limit, ids.size()))) {
            store.find(owner, id).ifPresent(found -> batches.add(found.record().batch()));
        }
        return new BatchList(batches, ids.size() > limit);
    }

    /** A page of batches and whether more follow. */
    public record BatchList(List<BatchObject> batches, boolean hasMore) {
    }

    /**
     * A running batch becomes {@code cancelling}, and a check is sent that finalizes it as {@code
     * cancelled}: a batch still validating has no check chain yet. A batch already cancelling is answered
     * as it is; a finished one is a 409, as OpenAI answers.
     */
    public BatchObject cancel(String owner, String id) {
        find(owner, id);
        long now = clock.instant().getEpochSecond();
        boolean[] cancelled = { false };
        BatchRecord updated = store.update(owner, id, current -> {
            String status = current.status();
            cancelled[0] = status.equals(BatchStatus.VALIDATING) || status.equals(BatchStatus.IN_PROGRESS);
            if (cancelled[0]) {
                return Optional.of(current.editedBatch(b -> {
                    b.put("status", BatchStatus.CANCELLING);
                    b.put("cancelling_at", now);
                }));
            }
            return Optional.empty();
        }).orElseThrow(() -> notFound(id));
        String status = updated.status();
        if (!status.equals(BatchStatus.CANCELLING)) {
            throw new ConflictException("Cannot cancel a batch with status '" + status + "'.");
        }
        if (cancelled[0]) {
            try {
                queue.sendCheck(owner, id);
            } catch (RuntimeException e) {
                // Not lost: a start that finds the batch cancelling sends one, and a running batch has its chain.
                Log.warnf("Batch %s: cancelled, but its check could not be sent: %s", id, e.getMessage());
            }
        }
        return updated.batch();
    }

    private BatchRecord find(String owner, String id) {
        if (!NewestFirstIds.looksLike(BatchObject.ID_PREFIX, id)) {
            throw notFound(id);
        }
        return store.find(owner, id).map(BatchStore.Versioned::record).orElseThrow(() -> notFound(id));
    }

    private void markFailed(String owner, String id) {
        long now = clock.instant().getEpochSecond();
        try {
            store.update(owner, id, current -> Optional.of(current.editedBatch(b -> {
                b.put("status", BatchStatus.FAILED);
                b.put("failed_at", now);
            })));
        } catch (RuntimeException e) {
            Log.warnf("Batch %s could not be marked failed after its start message was lost", id);
        }
    }

    private static NotFoundException notFound(String id) {
        return new NotFoundException("No batch found with id '" + id + "'.", null);
    }

    private static String quoted(List<String> values) {
        return String.join(", ", values.stream().map(v -> "'" + v + "'").toList());
    }
}
