package dev.imagegateway.batch.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagegateway.batch.RemainingTime;
import dev.imagegateway.config.GatewayConfig;
import io.quarkus.arc.Unremovable;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * The worker: one Lambda SQS event ({@code Records[]}) in, {@code {"batchItemFailures": [...]}} out, as
 * the event source mapping's {@code ReportBatchItemFailures} expects. Each record is a
 * {@link WorkMessage}; a record that fails for any reason not handled below is reported, with a short
 * visibility (see {@link #backOff}), so that SQS delivers it again soon (and, after the redrive policy's
 * receives, moves it to the dead-letter queue).
 * Records from the dead-letter queue ({@code eventSourceARN} names its queue) are never run: a line is
 * recorded failed, a start records the lines it never queued as failed (or fails a batch it never
 * validated), a check sends a fresh check. Nothing is dropped.
 */
@ApplicationScoped
@Unremovable // looked up by the Lambda entry, injected nowhere; the build would otherwise remove it
public class BatchWorker {

    private final BatchStarter starter;
    private final LineWorker lines;
    private final BatchCheck checks;
    private final WorkQueue queue;
    private final Optional<String> deadLetterQueueName;
    private final Duration retryBackoff;

    public BatchWorker(BatchStarter starter, LineWorker lines, BatchCheck checks, WorkQueue queue,
            GatewayConfig config) {
        this.starter = starter;
        this.lines = lines;
        this.checks = checks;
        this.queue = queue;
        // A queue URL ends in its name, and so does its ARN (arn:aws:sqs:region:account:name).
        this.deadLetterQueueName = config.batches().deadLetterQueueUrl()
                .map(url -> url.substring(url.lastIndexOf('/') + 1));
        this.retryBackoff = config.batches().retryBackoff();
    }

    /** Handles the event and returns the answer Lambda expects. */
    public ObjectNode handle(JsonNode event, RemainingTime deadline) {
        ObjectNode answer = BatchRecord.JSON.createObjectNode();
        ArrayNode failures = answer.putArray("batchItemFailures");
        for (JsonNode record : event.path("Records")) {
            String messageId = record.path("messageId").asText();
            Handled handled = handled(record, deadline);
            if (handled != Handled.YES) {
                if (handled == Handled.NO) {
                    backOff(record);
                }
                failures.addObject().put("itemIdentifier", messageId);
            }
        }
        return answer;
    }

    /** What became of one record; a line's retry has set its own visibility. */
    private enum Handled {
        YES,
        NO,
        RETRY_SET
    }

    /**
     * Makes a failed record visible again after {@code retry-backoff × 2^(receives-1)} (at most 15
     * minutes) rather than the queue's visibility timeout, which is sized for the longest run (90
     * minutes): a transient S3 or SQS failure then costs seconds, and a record that keeps failing still
     * reaches the dead-letter queue after the redrive policy's receives.
     */
    private void backOff(JsonNode record) {
        String receipt = record.path("receiptHandle").asText();
        Duration delay = WorkQueue.backoff(retryBackoff,
                record.path("attributes").path("ApproximateReceiveCount").asInt(1));
        try {
            if (fromDeadLetterQueue(record)) {
                queue.retryDeadLetteredAfter(receipt, delay);
            } else {
                queue.retryAfter(receipt, delay);
            }
        } catch (RuntimeException e) {
            // No queue configured: the queue's own visibility timeout applies.
            Log.warnf("Could not shorten the visibility of a failed batch message: %s", e.getClass().getSimpleName());
        }
    }

    private Handled handled(JsonNode record, RemainingTime deadline) {
        String messageId = record.path("messageId").asText();
        WorkMessage message;
        try {
            message = BatchRecord.JSON.readValue(record.path("body").asText(), WorkMessage.class);
        } catch (IOException e) {
            // Not ours: reported, so that it ends in the dead-letter queue for someone to look at.
            Log.errorf("Batch message %s is not a work message; left for the dead-letter queue", messageId);
            return fromDeadLetterQueue(record) ? Handled.YES : Handled.NO;
        }
        try {
            if (fromDeadLetterQueue(record)) {
                deadLettered(message);
                return Handled.YES;
            }
            int receiveCount = record.path("attributes").path("ApproximateReceiveCount").asInt(1);
            String receipt = record.path("receiptHandle").asText();
            return switch (message.type()) {
                case WorkMessage.START -> {
                    starter.start(message, messageId, deadline);
                    yield Handled.YES;
                }
                case WorkMessage.LINE ->
                    lines.run(message, messageId, receiveCount, receipt, deadline) == LineWorker.Outcome.DONE ? Handled.YES
                            : Handled.RETRY_SET;
                case WorkMessage.CHECK -> {
                    checks.check(message, deadline);
                    yield Handled.YES;
                }
                default -> {
                    Log.errorf("Batch message %s has unknown type %s", messageId, message.type());
                    yield Handled.NO;
                }
            };
        } catch (RuntimeException e) {
            // Logged by class and message: ours name bucket keys and ids, never keys or prompts.
            Log.errorf("Batch message %s (%s of %s) failed: %s: %s; it comes back", messageId, message.type(),
                    message.batchId(), e.getClass().getSimpleName(), e.getMessage());
            return Handled.NO;
        }
    }

    private void deadLettered(WorkMessage message) {
        Log.warnf("Batch %s: a %s message came from the dead-letter queue; recorded as failed", message.batchId(),
                message.type());
        switch (message.type()) {
            case WorkMessage.LINE -> lines.recordDeadLettered(message);
            case WorkMessage.START -> starter.recordDeadLettered(message);
            case WorkMessage.CHECK -> queue.sendCheck(message.owner(), message.batchId());
            default -> {
            }
        }
    }

    private boolean fromDeadLetterQueue(JsonNode record) {
        String arn = record.path("eventSourceARN").asText("");
        return deadLetterQueueName.isPresent() && arn.endsWith(":" + deadLetterQueueName.get());
    }
}
