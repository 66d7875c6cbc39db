package dev.imagegateway.batch.engine;

import dev.imagegateway.batch.RemainingTime;
import dev.imagegateway.batch.engine.BatchObject.RequestCounts;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code check} message: counts the results (one paginated LIST), records {@code request_counts},
 * and finalizes the batch when every line has a result, it is cancelling, or it has expired; otherwise
 * it sends the next check. A batch that is finished drops its check.
 */
@ApplicationScoped
public class BatchCheck {

    private final BatchStore store;
    private final WorkQueue queue;
    private final BatchFinalizer finalizer;
    private final Clock clock = Clock.systemUTC();

    public BatchCheck(BatchStore store, WorkQueue queue, BatchFinalizer finalizer) {
        this.store = store;
        this.queue = queue;
        this.finalizer = finalizer;
    }

    void check(WorkMessage message, RemainingTime deadline) {
        String owner = message.owner();
        String id = message.batchId();
        Optional<BatchStore.Versioned> found = store.find(owner, id);
        if (found.isEmpty() || found.get().record().isTerminal()) {
            return;
        }
        BatchRecord record = found.get().record();
        long now = clock.instant().getEpochSecond();
        boolean expired = record.batch().expiresAt() != null && now >= record.batch().expiresAt();
        if (record.status().equals(BatchStatus.VALIDATING) && !expired) {
            queue.sendCheck(owner, id);
            return;
        }
        // Lines, not files: a line can have both an .ok and an .err (two deliveries, or the dead-letter path
        // next to a late result); it counts once, as completed, as the finalizer then writes its .ok.
        Map<Integer, Boolean> okByLine = new HashMap<>();
        for (String key : store.resultKeys(owner, id)) {
            okByLine.merge(BatchStore.lineOf(key), BatchStore.isOk(key), Boolean::logicalOr);
        }
        int done = okByLine.size();
        int ok = (int) okByLine.values().stream().filter(Boolean::booleanValue).count();
        RequestCounts counts = new RequestCounts(record.engine().lines(), ok, done - ok);
        String target = finalStatus(record, done, expired);
        if (target == null) {
            store.update(owner, id, current -> current.batch().requestCounts().equals(counts) || current.isTerminal()
                    ? Optional.empty()
                    : Optional.of(current.editedBatch(b -> b.set("request_counts", BatchRecord.JSON.valueToTree(counts)))));
            queue.sendCheck(owner, id);
            return;
        }
        Log.infof("Batch %s: %d of %d lines have results; finalizing as %s", id, done,
                record.engine().lines(), target);
        finalizer.finalizeBatch(owner, id, target, deadline);
    }

    /** What the batch ends as now, or null while it runs on. */
    private static String finalStatus(BatchRecord record, int results, boolean expired) {
        if (record.engine().finalStatus() != null) {
            // A finalization began and was cut off: it is finished the way it began.
            return record.engine().finalStatus();
        }
        if (record.status().equals(BatchStatus.CANCELLING)) {
            return BatchStatus.CANCELLED;
        }
        if (record.status().equals(BatchStatus.IN_PROGRESS) && record.engine().enqueued() >= record.engine().lines()
                && results >= record.engine().lines()) {
            return BatchStatus.COMPLETED;
        }
        return expired ? BatchStatus.EXPIRED : null;
    }
}
