package dev.imagegateway.batch.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagegateway.batch.RemainingTime;
import dev.imagegateway.batch.engine.BatchObject.LineError;
import dev.imagegateway.files.FileObject;
import dev.imagegateway.files.FileStore;
import dev.imagegateway.queue.SqsClients;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code start} message: streams the input file once to validate every line (the batch fails with
 * {@code errors.data} if any line is invalid), sets {@code in_progress}, then streams it again to enqueue
 * one {@code line} message per line, {@link #CHECKPOINT_LINES} at a time, recording progress in
 * batch.json after each chunk so that a redelivered start resumes where the last one stopped.
 */
@ApplicationScoped
public class BatchStarter {

    /** Lines enqueued between two progress records. */
    static final int CHECKPOINT_LINES = 1000;
    /** errors.data is kept to this many entries, so that batch.json stays small. */
    static final int MAX_ERRORS = 100;
    /** Time one chunk (100 SendMessageBatch calls in parallel and a PUT) may take, with room to spare. */
    private static final long CHUNK_RESERVE_MILLIS = SqsClients.CALL_TIMEOUT.toMillis() + 5_000;

    private final BatchStore store;
    private final FileStore files;
    private final WorkQueue queue;
    private final Clock clock = Clock.systemUTC();

    public BatchStarter(BatchStore store, FileStore files, WorkQueue queue) {
        this.store = store;
        this.files = files;
        this.queue = queue;
    }

    /** Returns false if the deadline stopped the enqueueing: the message must come again. */
    boolean start(WorkMessage message, RemainingTime deadline) {
        String owner = message.owner();
        String id = message.batchId();
        Optional<BatchStore.Versioned> found = store.find(owner, id);
        if (found.isEmpty()) {
            Log.warnf("Start of batch %s: no such batch; dropped", id);
            return true;
        }
        BatchRecord record = found.get().record();
        if (record.status().equals(BatchStatus.CANCELLING)) {
            queue.sendCheck(owner, id);
            return true;
        }
        if (record.status().equals(BatchStatus.VALIDATING)) {
            Optional<BatchRecord> validated = validate(owner, record);
            if (validated.isEmpty() || !validated.get().status().equals(BatchStatus.IN_PROGRESS)) {
                return true;
            }
            record = validated.get();
        }
        if (!record.status().equals(BatchStatus.IN_PROGRESS) || record.engine().enqueued() >= record.engine().lines()) {
            return true;
        }
        return enqueue(owner, record, deadline);
    }

    /** Marks the batch failed: a start message that reached the dead-letter queue. */
    void failDeadLettered(WorkMessage message) {
        fail(message.owner(), message.batchId(), List.of(new LineError("dead_lettered", "The batch could not be"
                + " started; its start message ended in the dead-letter queue.", null, null)));
    }

    private Optional<BatchRecord> validate(String owner, BatchRecord record) {
        BatchObject batch = record.batch();
        Optional<FileObject> input = files.find(owner, batch.inputFileId());
        if (input.isEmpty()) {
            return fail(owner, batch.id(), List.of(new LineError("file_not_found", "The input file "
                    + batch.inputFileId() + " no longer exists.", "input_file_id", null)));
        }
        if (input.get().bytes() > BatchEndpoints.MAX_INPUT_BYTES) {
            return fail(owner, batch.id(), List.of(new LineError("file_too_large", "The input file is larger than"
                    + " 200 MB, the most one batch takes.", "input_file_id", null)));
        }
        InputLineRules rules = new InputLineRules(batch.endpoint());
        List<LineError> errors = new ArrayList<>();
        int[] lines = { 0 };
        try (InputStream content = files.open(owner, batch.inputFileId())) {
            InputFileLines.forEach(content, line -> {
                lines[0]++;
                rules.problem(line).ifPresent(error -> {
                    if (errors.size() < MAX_ERRORS) {
                        errors.add(error);
                    }
                });
            });
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if (lines[0] == 0) {
            errors.add(new LineError("empty_file", "The input file has no lines.", null, null));
        } else if (lines[0] > BatchEndpoints.MAX_LINES) {
            errors.add(new LineError("too_many_tasks", "The input file has " + lines[0] + " lines; a batch takes at"
                    + " most " + BatchEndpoints.MAX_LINES + ".", null, null));
        }
        if (!errors.isEmpty()) {
            return fail(owner, batch.id(), errors);
        }
        long now = clock.instant().getEpochSecond();
        int total = lines[0];
        return store.update(owner, batch.id(), current -> current.status().equals(BatchStatus.VALIDATING)
                ? Optional.of(current.edited(b -> {
                    b.put("status", BatchStatus.IN_PROGRESS);
                    b.put("in_progress_at", now);
                    b.set("request_counts", BatchRecord.JSON.valueToTree(new BatchObject.RequestCounts(total, 0, 0)));
                }, e -> e.put("lines", total)))
                : Optional.empty());
    }

    private Optional<BatchRecord> fail(String owner, String id, List<LineError> errors) {
        long now = clock.instant().getEpochSecond();
        Log.infof("Batch %s failed validation: %d errors", id, errors.size());
        return store.update(owner, id, current -> current.isTerminal() ? Optional.empty()
                : Optional.of(current.editedBatch(b -> {
                    b.put("status", BatchStatus.FAILED);
                    b.put("failed_at", now);
                    b.set("errors", BatchRecord.JSON.valueToTree(BatchObject.Errors.of(errors)));
                })));
    }

    private boolean enqueue(String owner, BatchRecord record, RemainingTime deadline) {
        String id = record.batch().id();
        int from = record.engine().enqueued();
        List<WorkMessage> chunk = new ArrayList<>(CHECKPOINT_LINES);
        int[] index = { 0 };
        int[] enqueued = { from };
        boolean[] stopped = { false };
        try (InputStream content = files.open(owner, record.batch().inputFileId())) {
            InputFileLines.forEach(content, line -> {
                if (stopped[0] || index[0]++ < from) {
                    return;
                }
                chunk.add(WorkMessage.line(owner, id, line.number(), line.offset(), line.bytes().length));
                if (chunk.size() == CHECKPOINT_LINES) {
                    if (deadline.remainingMillis() < CHUNK_RESERVE_MILLIS) {
                        stopped[0] = true;
                        return;
                    }
                    enqueued[0] = sendChunk(owner, id, chunk, enqueued[0]);
                }
            });
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if (stopped[0]) {
            Log.infof("Batch %s: %d of %d lines enqueued; the rest after this invocation", id, enqueued[0],
                    record.engine().lines());
            return false;
        }
        if (!chunk.isEmpty()) {
            sendChunk(owner, id, chunk, enqueued[0]);
        }
        queue.sendCheck(owner, id);
        Log.infof("Batch %s: all %d lines enqueued", id, record.engine().lines());
        return true;
    }

    /** Sends a chunk, records the progress, and empties the chunk; returns the lines enqueued so far. */
    private int sendChunk(String owner, String id, List<WorkMessage> chunk, int enqueuedBefore) {
        queue.sendAll(chunk);
        int enqueued = enqueuedBefore + chunk.size();
        chunk.clear();
        store.update(owner, id, current -> current.engine().enqueued() >= enqueued ? Optional.empty()
                : Optional.of(current.edited(b -> {
                }, e -> ((ObjectNode) e).put("enqueued", enqueued))));
        return enqueued;
    }
}
