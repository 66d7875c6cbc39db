package dev.imagegateway.batch.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.imagegateway.batch.BatchResultLine;
import dev.imagegateway.batch.LineRunner;
import dev.imagegateway.batch.RemainingTime;
import dev.imagegateway.config.GatewayConfig;
import dev.imagegateway.error.ErrorAnswer;
import dev.imagegateway.error.GatewayException;
import dev.imagegateway.error.StorageUnavailableException;
import dev.imagegateway.generation.Deadline;
import dev.imagegateway.observability.RequestLogFields;
import dev.imagegateway.storage.S3Clients;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code line} message: runs one line through {@link LineRunner}, exactly as the HTTP route runs a
 * request, and records its result once.
 * <ul>
 * <li>A line that has a result is never run again (one LIST before running; the result is created with
 * {@code If-None-Match: *}, so two deliveries can never both write one).</li>
 * <li>A line is claimed ({@link LineClaims}) before the upstream call, until this invocation has ended:
 * a copy of its message that finds a live claim is sent again for when the claim runs out, and one that
 * finds a claim run out without a result (its worker died) takes it over and runs the line once.</li>
 * <li>A result that cannot be written is tried again in this invocation, as time allows, before the
 * delivery fails: the upstream was paid for it.</li>
 * <li>A retry-safe failure (nothing was billed) goes back to the queue with backoff while attempts are
 * left; any other failure is recorded at once and never run again.</li>
 * <li>A line is only started while the invocation can still give it the upstream timeout, the storage
 * reserve and a margin. Otherwise it is sent again as a new message carrying its attempts so far and
 * this delivery is acknowledged: a deadline deferral is not an attempt, and SQS's receive count (which
 * the dead-letter redrive counts) starts afresh.</li>
 * </ul>
 */
@ApplicationScoped
public class LineWorker {

    /** What became of one delivery. */
    enum Outcome {
        /** The line has its result, or needs none: the message can be deleted. */
        DONE,
        /** A retry-safe failure: the message comes back after its backoff. */
        RETRY
    }

    /** Added to a claim's end for clocks of other hosts that run a little behind ours. */
    static final Duration CLAIM_MARGIN = Duration.ofSeconds(10);
    /** Writes of one result in one invocation, the first included, and the first pause between them. */
    private static final int RESULT_WRITE_ATTEMPTS = 3;
    private static final Duration RESULT_WRITE_BACKOFF = Duration.ofMillis(500);

    private final BatchStore store;
    private final WorkQueue queue;
    private final LineRunner runner;
    private final LineClaims claims;
    private final Clock clock = Clock.systemUTC();
    private final int maxAttempts;
    private final Duration retryBackoff;
    private final long lineReserveMillis;

    public LineWorker(BatchStore store, WorkQueue queue, LineRunner runner, LineClaims claims, GatewayConfig config) {
        this.store = store;
        this.queue = queue;
        this.runner = runner;
        this.claims = claims;
        this.maxAttempts = config.batches().maxAttempts();
        this.retryBackoff = config.batches().retryBackoff();
        // The longest upstream timeout of any route would be stricter; the default upstream's is what
        // images.upstream.timeout says, and Deadline caps each call at what is left anyway.
        this.lineReserveMillis = config.upstream().timeout().toMillis() + config.s3().reserve().toMillis()
                + Deadline.ANSWER_MARGIN.toMillis() + config.batch().deadlineMargin().toMillis();
    }

    Outcome run(WorkMessage message, String messageId, int receiveCount, String receiptHandle,
            RemainingTime deadline) {
        String owner = message.owner();
        String id = message.batchId();
        int line = message.line();
        Optional<BatchStore.Versioned> found = store.find(owner, id);
        if (found.isEmpty() || !runnable(found.get().record())) {
            // Cancelled, expired or gone: the check's finalization gives the line its error.
            return Outcome.DONE;
        }
        if (store.hasResult(owner, id, line)) {
            Log.debugf("Batch %s line %d already has a result", id, line);
            return Outcome.DONE;
        }
        if (deadline.remainingMillis() < lineReserveMillis) {
            queue.send(message.withPriorAttempts(message.attemptsBefore() + receiveCount - 1), Duration.ZERO);
            return Outcome.DONE;
        }
        // Read before claiming: a line that cannot be read fails the delivery without holding a claim.
        JsonNode root = readLine(message);
        Instant now = clock.instant();
        // Nothing of this invocation runs past its end; the margin covers another host's clock.
        Instant until = now.plusMillis(deadline.remainingMillis()).plus(CLAIM_MARGIN);
        LineClaims.Claim claim = claims.claim(owner, id, line, messageId, until, now);
        if (!claim.acquired()) {
            // Whole seconds, rounded up: SQS delays in seconds, and an early look would only defer again.
            Duration delay = Duration.ofSeconds(Math.max(1, claim.heldUntil().getEpochSecond() - now.getEpochSecond() + 1));
            Log.infof("Batch %s line %d is claimed by another delivery; looked at again in %ds", id, line,
                    delay.toSeconds());
            // Sent again rather than retried: waiting for another delivery is not an attempt.
            queue.send(message.withPriorAttempts(message.attemptsBefore() + receiveCount - 1), delay);
            return Outcome.DONE;
        }
        if (claim.takenOver() && store.hasResult(owner, id, line)) {
            // The dead claim's worker wrote its result after all, just before our first look.
            return Outcome.DONE;
        }
        int attempt = message.attemptsBefore() + receiveCount;
        String customId = root.path("custom_id").asText(null);
        String requestId = UUID.randomUUID().toString();
        String resultId = "batch_req_" + requestId.replace("-", "");
        BatchResultLine.Response response;
        RequestLogFields.begin(requestId);
        try {
            Duration left = Duration.ofMillis(deadline.remainingMillis());
            JsonNode body = BatchEndpoints.EDITS.equals(found.get().record().batch().endpoint())
                    ? runner.runEdit(root.get("body"), owner, requestId, left)
                    : runner.run(root.get("body"), requestId, left);
            response = new BatchResultLine.Response(200, requestId, body);
        } catch (GatewayException e) {
            if (e.retrySafe() && attempt < maxAttempts) {
                Duration backoff = WorkQueue.backoff(retryBackoff, attempt);
                Log.infof("Batch %s line %d: retry-safe %d (%s), attempt %d of %d; again in %ds", id, line,
                        e.status(), e.outcome(), attempt, maxAttempts, backoff.toSeconds());
                claims.release(owner, id, line);
                queue.retryAfter(receiptHandle, backoff);
                return Outcome.RETRY;
            }
            response = failure(ErrorAnswer.of(e), requestId);
        } catch (RuntimeException e) {
            // Not known whether the upstream was reached: recorded, never retried.
            response = failure(ErrorAnswer.unexpected(e), requestId);
        } finally {
            RequestLogFields.end();
        }
        // Outside the try: a result that cannot be written fails the delivery, and is not turned into an
        // error line that could not be written either. The claim stays, so that the line runs again only
        // once it has run out.
        writeWhileTimeAllows(owner, id, line, response.statusCode() == 200,
                new BatchResultLine(resultId, customId, response, null), deadline);
        return Outcome.DONE;
    }

    private BatchResultLine.Response failure(ErrorAnswer answer, String requestId) {
        return new BatchResultLine.Response(answer.status(), requestId, runner.errorBody(answer));
    }

    /** A line message from the dead-letter queue: recorded failed, never run. */
    void recordDeadLettered(WorkMessage message) {
        Optional<BatchStore.Versioned> found = store.find(message.owner(), message.batchId());
        if (found.isEmpty() || store.hasResult(message.owner(), message.batchId(), message.line())) {
            return;
        }
        write(message.owner(), message.batchId(), message.line(), false, new BatchResultLine(
                "batch_req_" + UUID.randomUUID().toString().replace("-", ""), customIdOrNull(message),
                null, new BatchResultLine.Error("dead_lettered", "The line could not be processed; its message ended"
                        + " in the dead-letter queue.")));
    }

    private boolean runnable(BatchRecord record) {
        Long expiresAt = record.batch().expiresAt();
        return record.status().equals(BatchStatus.IN_PROGRESS)
                && (expiresAt == null || clock.instant().getEpochSecond() < expiresAt);
    }

    /** The line's custom_id for a dead-lettered line: null when the line cannot be read, never a failure. */
    private String customIdOrNull(WorkMessage message) {
        try {
            return readLine(message).path("custom_id").asText(null);
        } catch (RuntimeException e) {
            Log.warnf("Batch %s line %d: its line could not be read (%s); recorded without its custom_id",
                    message.batchId(), message.line(), e.getClass().getSimpleName());
            return null;
        }
    }

    private JsonNode readLine(WorkMessage message) {
        byte[] bytes = store.readInput(message.owner(), message.batchId(), message.offset(), message.length());
        try {
            return BatchRecord.JSON.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("line " + message.line() + " of batch " + message.batchId()
                    + " is no longer the line that was validated", e);
        }
    }

    /**
     * Writes the result, trying again with a short backoff while the invocation has time for another
     * whole S3 call: a transient S3 failure must not cost the line a second generation.
     */
    private void writeWhileTimeAllows(String owner, String id, int line, boolean ok, BatchResultLine result,
            RemainingTime deadline) {
        for (int attempt = 1;; attempt++) {
            try {
                write(owner, id, line, ok, result);
                return;
            } catch (StorageUnavailableException e) {
                Duration pause = RESULT_WRITE_BACKOFF.multipliedBy(1L << (attempt - 1));
                if (attempt >= RESULT_WRITE_ATTEMPTS
                        || deadline.remainingMillis() < pause.plus(S3Clients.CALL_TIMEOUT).toMillis()) {
                    throw e;
                }
                Log.warnf("Batch %s line %d: its result could not be written (attempt %d); trying again", id, line,
                        attempt);
                sleep(pause);
            }
        }
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing a batch result", e);
        }
    }

    private void write(String owner, String id, int line, boolean ok, BatchResultLine result) {
        byte[] json;
        try {
            json = BatchRecord.JSON.writeValueAsBytes(result);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        if (!store.writeResult(owner, id, line, ok, json)) {
            Log.infof("Batch %s line %d: another delivery recorded its result first", id, line);
        }
    }
}
