package dev.imagegateway.batch.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.imagegateway.batch.BatchResultLine;
import dev.imagegateway.batch.RemainingTime;
import dev.imagegateway.batch.engine.BatchObject.LineError;
import dev.imagegateway.files.FileObject;
import dev.imagegateway.files.FileStore;
import dev.imagegateway.queue.SqsClients;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The {@code start} message: copies the input file into the batch's folder (every line is read from that
 * copy from then on), streams the copy once to validate every line (the batch fails with
 * {@code errors.data} if any line is invalid), sets {@code in_progress}, then streams it again to enqueue
 * one {@code line} message per line, {@link #CHECKPOINT_LINES} at a time, recording progress in batch.json
 * after each chunk so that a redelivered start resumes where the last one stopped.
 * <ul>
 * <li>Only one start validates and enqueues a batch: the holder of its enqueue lease in batch.json, named
 * by its message's token or, for a start without one, its SQS message id (a redelivery after a crash has
 * the same id and resumes). The lease outlasts an invocation ({@link #LEASE}) and is renewed at every
 * checkpoint, so it lapses only when its holder is gone; another start is acknowledged and dropped while
 * it lasts. A start sent again near the deadline carries the holder's token.</li>
 * <li>A start that finds every line enqueued sends a check, so that a check chain lost after the last
 * chunk is started again; a start that finds the batch cancelling sends one too.</li>
 * </ul>
 */
@ApplicationScoped
public class BatchStarter {

    /** Lines enqueued between two progress records. */
    static final int CHECKPOINT_LINES = 1000;
    /** errors.data is kept to this many entries, so that batch.json stays small. */
    static final int MAX_ERRORS = 100;
    /** How long an enqueue lease lasts unrenewed: longer than Lambda's 15-minute invocation. */
    static final Duration LEASE = Duration.ofMinutes(16);
    /** How long a start waits after taking the lease before it reads the lease again (see confirmLease). */
    static final Duration LEASE_SETTLE = Duration.ofMillis(500);
    /** The lease holder a start from the dead-letter queue takes the lease for: no start enqueues after it. */
    static final String DEAD_LETTERED = "dead-lettered";
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

    /**
     * Validates and enqueues, or drops the start if another start holds the lease. When the deadline stops
     * the enqueueing, the start is sent again at once, carrying the lease's token, and the next invocation
     * resumes at the checkpoint rather than waiting out the queue's visibility timeout.
     */
    void start(WorkMessage message, String messageId, RemainingTime deadline) {
        String owner = message.owner();
        String id = message.batchId();
        String identity = message.token() != null ? message.token() : messageId;
        Optional<BatchStore.Versioned> found = store.find(owner, id);
        if (found.isEmpty()) {
            Log.warnf("Start of batch %s: no such batch; dropped", id);
            return;
        }
        BatchRecord record = found.get().record();
        if (record.status().equals(BatchStatus.CANCELLING)) {
            queue.sendCheck(owner, id);
            return;
        }
        if (!leasable(record)) {
            return;
        }
        if (allEnqueued(record)) {
            // The check after the last chunk may never have been sent; a second chain ends with the batch.
            queue.sendCheck(owner, id);
            return;
        }
        Optional<BatchRecord> leased = takeLease(owner, id, identity).flatMap(taken -> confirmLease(owner, id, identity));
        if (leased.isEmpty()) {
            Log.infof("Start of batch %s: another start holds the enqueue lease; dropped", id);
            return;
        }
        record = leased.get();
        if (record.status().equals(BatchStatus.VALIDATING)) {
            Optional<BatchRecord> validated = validate(owner, record);
            if (validated.isEmpty()) {
                return;
            }
            if (validated.get().status().equals(BatchStatus.CANCELLING)) {
                // Cancelled while being validated: its check finalizes it.
                queue.sendCheck(owner, id);
                return;
            }
            if (!validated.get().status().equals(BatchStatus.IN_PROGRESS)) {
                return;
            }
            record = validated.get();
        }
        if (!enqueue(owner, record, identity, deadline)) {
            queue.send(message.withToken(identity), Duration.ZERO);
        }
    }

    /**
     * A start message that reached the dead-letter queue. A batch it never validated fails; for one in
     * progress, the lines it never queued are recorded failed ({@code dead_lettered}) and a check is sent,
     * so that the lines that ran are delivered when the batch finalizes as usual.
     */
    void recordDeadLettered(WorkMessage message) {
        String owner = message.owner();
        String id = message.batchId();
        Optional<BatchStore.Versioned> found = store.find(owner, id);
        if (found.isEmpty()) {
            return;
        }
        BatchRecord record = found.get().record();
        if (record.status().equals(BatchStatus.VALIDATING)) {
            fail(owner, id, List.of(new LineError("dead_lettered", "The batch could not be started; its start"
                    + " message ended in the dead-letter queue.", null, null)));
            return;
        }
        if (record.status().equals(BatchStatus.IN_PROGRESS) && !allEnqueued(record)) {
            // Taken for the batch's lifetime: a start still enqueueing stops at its next checkpoint.
            Long expiresAt = record.batch().expiresAt();
            long until = expiresAt != null ? expiresAt : clock.instant().plus(LEASE).getEpochSecond();
            Optional<BatchRecord> taken = store.update(owner, id, current -> Optional.of(current.edited(b -> {
            }, e -> {
                e.put("lease_owner", DEAD_LETTERED);
                e.put("lease_expires_at", until);
            })));
            if (taken.isEmpty()) {
                return;
            }
            int failed = failUnqueued(owner, taken.get());
            int lines = taken.get().engine().lines();
            store.update(owner, id, current -> current.engine().enqueued() >= lines ? Optional.empty()
                    : Optional.of(current.edited(b -> {
                    }, e -> e.put("enqueued", lines))));
            Log.warnf("Batch %s: its start was dead-lettered; %d lines never queued are recorded failed", id, failed);
        }
        if (!BatchStatus.isTerminal(record.status())) {
            queue.sendCheck(owner, id);
        }
    }

    private static boolean leasable(BatchRecord record) {
        return record.status().equals(BatchStatus.VALIDATING) || record.status().equals(BatchStatus.IN_PROGRESS);
    }

    private static boolean allEnqueued(BatchRecord record) {
        return record.status().equals(BatchStatus.IN_PROGRESS) && record.engine().enqueued() >= record.engine().lines();
    }

    /** Takes or renews the enqueue lease for {@code identity}; empty if another start holds a live one. */
    private Optional<BatchRecord> takeLease(String owner, String id, String identity) {
        long now = clock.instant().getEpochSecond();
        long until = now + LEASE.toSeconds();
        boolean[] taken = { false };
        Optional<BatchRecord> after = store.update(owner, id, current -> {
            BatchRecord.Engine engine = current.engine();
            boolean heldByAnother = engine.leaseOwner() != null && !engine.leaseOwner().equals(identity)
                    && engine.leaseExpiresAt() != null && engine.leaseExpiresAt() > now;
            taken[0] = leasable(current) && !heldByAnother;
            return taken[0] ? Optional.of(current.edited(b -> {
            }, e -> {
                e.put("lease_owner", identity);
                e.put("lease_expires_at", until);
            })) : Optional.empty();
        });
        return taken[0] ? after : Optional.empty();
    }

    /**
     * The record again, a moment after the lease was taken, if the lease is still this start's. S3's
     * {@code If-Match} lets one of two racing takes succeed; a store that checks the condition and then
     * writes (S3Proxy, some S3-compatible stores) can let both succeed, and only the later write stands:
     * reading it again after the other write has landed tells the loser before it sends anything.
     */
    private Optional<BatchRecord> confirmLease(String owner, String id, String identity) {
        try {
            Thread.sleep(LEASE_SETTLE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        return store.find(owner, id).map(BatchStore.Versioned::record)
                .filter(record -> identity.equals(record.engine().leaseOwner()));
    }

    private Optional<BatchRecord> validate(String owner, BatchRecord record) {
        BatchObject batch = record.batch();
        // Copied once: a redelivered start finds the copy even if the file has been deleted since.
        if (!store.hasInput(owner, batch.id())) {
            Optional<FileObject> input = files.find(owner, batch.inputFileId());
            if (input.isPresent() && input.get().bytes() > BatchEndpoints.MAX_INPUT_BYTES) {
                return fail(owner, batch.id(), List.of(new LineError("file_too_large", "The input file is larger"
                        + " than 200 MB, the most one batch takes.", "input_file_id", null)));
            }
            if (input.isEmpty() || !store.copyInput(owner, batch.id(), FileStore.contentKey(owner, input.get().id()))) {
                return fail(owner, batch.id(), List.of(new LineError("file_not_found", "The input file "
                        + batch.inputFileId() + " no longer exists.", "input_file_id", null)));
            }
        }
        InputLineRules rules = new InputLineRules(batch.endpoint());
        List<LineError> errors = new ArrayList<>();
        int[] lines = { 0 };
        try (InputStream content = store.openInput(owner, batch.id())) {
            InputFileLines.forEach(content, line -> {
                lines[0]++;
                rules.problem(line).ifPresent(error -> {
                    if (errors.size() < MAX_ERRORS) {
                        errors.add(error);
                    }
                });
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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

    /** Returns false if the deadline stopped the enqueueing: the start must come again. */
    private boolean enqueue(String owner, BatchRecord record, String identity, RemainingTime deadline) {
        String id = record.batch().id();
        int from = record.engine().enqueued();
        List<WorkMessage> chunk = new ArrayList<>(CHECKPOINT_LINES);
        int[] index = { 0 };
        int[] enqueued = { from };
        boolean[] stopped = { false };
        boolean[] leaseLost = { false };
        try (InputStream content = store.openInput(owner, id)) {
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
                    enqueued[0] = sendChunk(owner, id, identity, chunk, enqueued[0]);
                    if (enqueued[0] < 0) {
                        stopped[0] = true;
                        leaseLost[0] = true;
                    }
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (leaseLost[0]) {
            Log.warnf("Batch %s: the enqueue lease passed to another start; this one stops", id);
            return true;
        }
        if (stopped[0]) {
            Log.infof("Batch %s: %d of %d lines enqueued; the rest after this invocation", id, enqueued[0],
                    record.engine().lines());
            return false;
        }
        if (!chunk.isEmpty() && sendChunk(owner, id, identity, chunk, enqueued[0]) < 0) {
            Log.warnf("Batch %s: the enqueue lease passed to another start; this one stops", id);
            return true;
        }
        queue.sendCheck(owner, id);
        Log.infof("Batch %s: all %d lines enqueued", id, record.engine().lines());
        return true;
    }

    /**
     * Sends a chunk, records the progress and renews the lease, and empties the chunk; returns the lines
     * enqueued so far, or -1 if the lease is no longer this start's (the chunk was sent all the same).
     */
    private int sendChunk(String owner, String id, String identity, List<WorkMessage> chunk, int enqueuedBefore) {
        queue.sendAll(chunk);
        int enqueued = enqueuedBefore + chunk.size();
        chunk.clear();
        long until = clock.instant().plus(LEASE).getEpochSecond();
        boolean[] held = { true };
        store.update(owner, id, current -> {
            held[0] = identity.equals(current.engine().leaseOwner());
            return held[0] ? Optional.of(current.edited(b -> {
            }, e -> {
                e.put("enqueued", Math.max(enqueued, current.engine().enqueued()));
                e.put("lease_expires_at", until);
            })) : Optional.empty();
        });
        return held[0] ? enqueued : -1;
    }

    /**
     * Writes a {@code dead_lettered} error for every line past the checkpoint that has no result yet (a line
     * sent after the last checkpoint may have run); returns how many it wrote.
     */
    private int failUnqueued(String owner, BatchRecord record) {
        String id = record.batch().id();
        int from = record.engine().enqueued();
        Set<Integer> done = new HashSet<>();
        for (String key : store.resultKeys(owner, id)) {
            done.add(BatchStore.lineOf(key));
        }
        int[] index = { 0 };
        int[] written = { 0 };
        try (InputStream content = store.openInput(owner, id)) {
            InputFileLines.forEach(content, line -> {
                if (index[0]++ < from || done.contains(line.number())) {
                    return;
                }
                BatchResultLine result = new BatchResultLine("batch_req_" + UUID.randomUUID().toString().replace("-",
                        ""), customIdOf(line.bytes()), null, new BatchResultLine.Error("dead_lettered",
                                "The line was"
                                        + " never run: the batch's start message ended in the dead-letter queue before it"
                                        + " queued this line."));
                if (store.writeResult(owner, id, line.number(), false, json(result))) {
                    written[0]++;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return written[0];
    }

    private static String customIdOf(byte[] line) {
        try {
            return line == null ? null : BatchRecord.JSON.readTree(line).path("custom_id").asText(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static byte[] json(BatchResultLine result) {
        try {
            return BatchRecord.JSON.writeValueAsBytes(result);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
