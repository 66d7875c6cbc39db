package dev.imagegateway.batch.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.imagegateway.config.GatewayConfig;
import dev.imagegateway.error.QueueUnavailableException;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/** Sends work to the batch queue ({@code images.batches.queue-url}). */
@ApplicationScoped
public class WorkQueue {

    /** SQS's most entries in one SendMessageBatch. */
    static final int ENTRIES_PER_CALL = 10;
    /** SendMessageBatch calls in flight at once: 50,000 lines are 5,000 calls, about 300 per thread. */
    static final int PARALLEL_CALLS = 16;
    /** SQS's longest delay of a message, and longest visibility timeout a retry waits for here. */
    static final Duration MAX_DELAY = Duration.ofMinutes(15);
    private static final int SEND_ATTEMPTS = 3;

    private final SqsClient sqs;
    private final Optional<String> queueUrl;
    private final Optional<String> deadLetterQueueUrl;
    private final Duration checkInterval;
    private final ExecutorService senders;

    public WorkQueue(SqsClient sqs, GatewayConfig config) {
        this.sqs = sqs;
        this.queueUrl = config.batches().queueUrl();
        this.deadLetterQueueUrl = config.batches().deadLetterQueueUrl();
        this.checkInterval = min(config.batches().checkInterval(), MAX_DELAY);
        // Daemon threads, made when first used: SnapStart's snapshot holds no started thread of ours.
        this.senders = Executors.newFixedThreadPool(PARALLEL_CALLS, runnable -> {
            Thread thread = new Thread(runnable, "batch-enqueue");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Whether a queue is configured; without one no batch can be created. */
    public boolean configured() {
        return queueUrl.isPresent();
    }

    public void send(WorkMessage message, Duration delay) {
        String body = json(message);
        int seconds = (int) min(delay, MAX_DELAY).toSeconds();
        try {
            sqs.sendMessage(send -> send.queueUrl(url()).messageBody(body).delaySeconds(seconds));
        } catch (SdkException e) {
            throw QueueUnavailableException.unreachable(e);
        }
    }

    /** The next check of a batch, after {@code images.batches.check-interval}. */
    public void sendCheck(String owner, String batchId) {
        send(WorkMessage.check(owner, batchId), checkInterval);
    }

    /** Sends every message, ten per call and {@link #PARALLEL_CALLS} calls at a time; returns when all are sent. */
    public void sendAll(List<WorkMessage> messages) {
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        for (int from = 0; from < messages.size(); from += ENTRIES_PER_CALL) {
            List<WorkMessage> chunk = messages.subList(from, Math.min(messages.size(), from + ENTRIES_PER_CALL));
            calls.add(CompletableFuture.runAsync(() -> sendBatch(chunk), senders));
        }
        try {
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private void sendBatch(List<WorkMessage> chunk) {
        List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < chunk.size(); i++) {
            entries.add(SendMessageBatchRequestEntry.builder().id(String.valueOf(i)).messageBody(json(chunk.get(i)))
                    .build());
        }
        for (int attempt = 1; !entries.isEmpty(); attempt++) {
            List<SendMessageBatchRequestEntry> pending = entries;
            SendMessageBatchResponse response;
            try {
                response = sqs.sendMessageBatch(send -> send.queueUrl(url()).entries(pending));
            } catch (SdkException e) {
                throw QueueUnavailableException.unreachable(e);
            }
            // SendMessageBatch answers 200 when some entries failed; those are sent again, not lost.
            List<String> failed = response.failed().stream().map(f -> f.id()).toList();
            entries = pending.stream().filter(entry -> failed.contains(entry.id())).toList();
            if (!entries.isEmpty() && attempt >= SEND_ATTEMPTS) {
                throw QueueUnavailableException.unreachable(null);
            }
        }
    }

    /** Makes a received message visible again after {@code delay}: a retry with backoff. */
    public void retryAfter(String receiptHandle, Duration delay) {
        retryAfter(url(), receiptHandle, delay);
    }

    /** Like {@link #retryAfter(String, Duration)}, for a message received from the dead-letter queue. */
    public void retryDeadLetteredAfter(String receiptHandle, Duration delay) {
        deadLetterQueueUrl.ifPresent(url -> retryAfter(url, receiptHandle, delay));
    }

    /** {@code first} × 2^(attempt-1), at most {@link #MAX_DELAY}: the backoff of a message's attempt. */
    static Duration backoff(Duration first, int attempt) {
        long seconds = first.toSeconds() << Math.min(20, Math.max(0, attempt - 1));
        return Duration.ofSeconds(Math.min(seconds, MAX_DELAY.toSeconds()));
    }

    private void retryAfter(String url, String receiptHandle, Duration delay) {
        int seconds = (int) min(delay, MAX_DELAY).toSeconds();
        try {
            sqs.changeMessageVisibility(change -> change.queueUrl(url).receiptHandle(receiptHandle)
                    .visibilityTimeout(seconds));
        } catch (SdkException e) {
            // Not fatal: the message comes back after the queue's own visibility timeout instead.
            Log.warnf("Could not set the retry delay of a batch message: %s", e.getClass().getSimpleName());
        }
    }

    private String url() {
        return queueUrl.orElseThrow(() -> QueueUnavailableException.notConfigured());
    }

    private static String json(WorkMessage message) {
        try {
            return BatchRecord.JSON.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
