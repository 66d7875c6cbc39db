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
import java.util.Optional;

/**
 * The worker: one Lambda SQS event ({@code Records[]}) in, {@code {"batchItemFailures": [...]}} out, as
 * the event source mapping's {@code ReportBatchItemFailures} expects. Each record is a
 * {@link WorkMessage}; a record that fails for any reason not handled below is reported, so that SQS
 * delivers it again (and, after the redrive policy's receives, moves it to the dead-letter queue).
 * Records from the dead-letter queue ({@code eventSourceARN} names its queue) are never run: a line is
 * recorded failed, a start fails its batch, a check sends a fresh check. Nothing is dropped.
 */
@ApplicationScoped
@Unremovable // looked up by the Lambda entry, injected nowhere; the build would otherwise remove it
public class BatchWorker {

    private final BatchStarter starter;
    private final LineWorker lines;
    private final BatchCheck checks;
    private final WorkQueue queue;
    private final Optional<String> deadLetterQueueName;

    public BatchWorker(BatchStarter starter, LineWorker lines, BatchCheck checks, WorkQueue queue,
            GatewayConfig config) {
        this.starter = starter;
        this.lines = lines;
        this.checks = checks;
        this.queue = queue;
        // A queue URL ends in its name, and so does its ARN (arn:aws:sqs:region:account:name).
        this.deadLetterQueueName = config.batches().deadLetterQueueUrl()
                .map(url -> url.substring(url.lastIndexOf('/') + 1));
    }

    /** Handles the event and returns the answer Lambda expects. */
    public ObjectNode handle(JsonNode event, RemainingTime deadline) {
        ObjectNode answer = BatchRecord.JSON.createObjectNode();
        ArrayNode failures = answer.putArray("batchItemFailures");
        for (JsonNode record : event.path("Records")) {
            String messageId = record.path("messageId").asText();
            if (!handled(record, deadline)) {
                failures.addObject().put("itemIdentifier", messageId);
            }
        }
        return answer;
    }

    private boolean handled(JsonNode record, RemainingTime deadline) {
        String messageId = record.path("messageId").asText();
        WorkMessage message;
        try {
            message = BatchRecord.JSON.readValue(record.path("body").asText(), WorkMessage.class);
        } catch (IOException e) {
            // Not ours: reported, so that it ends in the dead-letter queue for someone to look at.
            Log.errorf("Batch message %s is not a work message; left for the dead-letter queue", messageId);
            return fromDeadLetterQueue(record);
        }
        try {
            if (fromDeadLetterQueue(record)) {
                return deadLettered(message);
            }
            int receiveCount = record.path("attributes").path("ApproximateReceiveCount").asInt(1);
            String receipt = record.path("receiptHandle").asText();
            return switch (message.type()) {
                case WorkMessage.START -> {
                    if (!starter.start(message, deadline)) {
                        // Out of time mid-enqueue: the start is sent again at once, resuming at its checkpoint,
                        // rather than waiting out the queue's visibility timeout.
                        queue.send(message, java.time.Duration.ZERO);
                    }
                    yield true;
                }
                case WorkMessage.LINE -> lines.run(message, receiveCount, receipt, deadline) == LineWorker.Outcome.DONE;
                case WorkMessage.CHECK -> {
                    checks.check(message, deadline);
                    yield true;
                }
                default -> {
                    Log.errorf("Batch message %s has unknown type %s", messageId, message.type());
                    yield false;
                }
            };
        } catch (RuntimeException e) {
            // Logged by class and message: ours name bucket keys and ids, never keys or prompts.
            Log.errorf("Batch message %s (%s of %s) failed: %s: %s; it comes back", messageId, message.type(),
                    message.batchId(), e.getClass().getSimpleName(), e.getMessage());
            return false;
        }
    }

    private boolean deadLettered(WorkMessage message) {
        Log.warnf("Batch %s: a %s message came from the dead-letter queue; recorded as failed", message.batchId(),
                message.type());
        switch (message.type()) {
            case WorkMessage.LINE -> lines.recordDeadLettered(message);
            case WorkMessage.START -> starter.failDeadLettered(message);
            case WorkMessage.CHECK -> queue.sendCheck(message.owner(), message.batchId());
            default -> {
            }
        }
        return true;
    }

    private boolean fromDeadLetterQueue(JsonNode record) {
        String arn = record.path("eventSourceARN").asText("");
        return deadLetterQueueName.isPresent() && arn.endsWith(":" + deadLetterQueueName.get());
    }
}
