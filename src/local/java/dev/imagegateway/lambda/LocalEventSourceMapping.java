package dev.imagegateway.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagegateway.config.GatewayConfig;
import dev.imagegateway.local.LocalModeConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * What Lambda's SQS event source mapping does in AWS, for local mode: receives the work queue's and the
 * dead-letter queue's messages, hands each to the function's own handler as a real SQS event (batch
 * size 1, as template.yaml sets it), and deletes every message the handler did not report in
 * {@code batchItemFailures}. At most {@code local.queue.concurrency} run at once, as
 * {@code MaximumConcurrency} bounds them in AWS. Lives in the handler's package to call it as Lambda
 * does, through {@link LambdaEntry#dispatch}; only the local profile compiles it.
 */
@ApplicationScoped
public class LocalEventSourceMapping {

    /** A local invocation's time, as the template's worker function has: 15 minutes. */
    private static final long INVOCATION_MILLIS = 900_000;

    private final LocalModeConfig local;
    private final GatewayConfig gateway;
    private final SqsClient sqs;
    private volatile boolean running;
    private ExecutorService pollers;
    private ExecutorService workers;
    private Semaphore slots;

    public LocalEventSourceMapping(LocalModeConfig local, GatewayConfig gateway, SqsClient sqs) {
        this.local = local;
        this.gateway = gateway;
        this.sqs = sqs;
    }

    // After the queue (priority 11) and the store (10) are up.
    void start(@Observes @Priority(20) StartupEvent event) {
        if (!local.queue().enabled()) {
            return;
        }
        running = true;
        int concurrency = Math.max(1, local.queue().concurrency());
        slots = new Semaphore(concurrency);
        workers = Executors.newFixedThreadPool(concurrency, task -> daemon(task, "local-batch-worker"));
        pollers = Executors.newFixedThreadPool(2, task -> daemon(task, "local-batch-poller"));
        String queueUrl = gateway.batches().queueUrl().orElseThrow();
        pollers.submit(() -> poll(queueUrl));
        gateway.batches().deadLetterQueueUrl().ifPresent(url -> pollers.submit(() -> poll(url)));
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        if (pollers != null) {
            pollers.shutdownNow();
            workers.shutdownNow();
            workers.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private void poll(String queueUrl) {
        String arn = arnOf(queueUrl);
        while (running) {
            try {
                slots.acquire();
                List<Message> messages = sqs.receiveMessage(receive -> receive.queueUrl(queueUrl).maxNumberOfMessages(1)
                        .waitTimeSeconds(1).messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
                if (messages.isEmpty()) {
                    slots.release();
                    continue;
                }
                workers.submit(() -> {
                    try {
                        invoke(queueUrl, arn, messages);
                    } finally {
                        slots.release();
                    }
                });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                slots.release();
                if (running) {
                    Log.warnf("Local queue poll failed (%s); retrying", e.getMessage());
                    sleepQuietly();
                }
            }
        }
    }

    private void invoke(String queueUrl, String arn, List<Message> messages) {
        try {
            ObjectNode event = LambdaEvent.JSON.createObjectNode();
            ArrayNode records = event.putArray("Records");
            for (Message message : messages) {
                ObjectNode record = records.addObject();
                record.put("messageId", message.messageId());
                record.put("receiptHandle", message.receiptHandle());
                record.put("body", message.body());
                ObjectNode attributes = record.putObject("attributes");
                message.attributesAsStrings().forEach(attributes::put);
                record.putObject("messageAttributes");
                record.put("md5OfBody", message.md5OfBody());
                record.put("eventSource", "aws:sqs");
                record.put("eventSourceARN", arn);
                record.put("awsRegion", gateway.s3().region().orElse("us-east-1"));
            }
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            LambdaEntry.dispatch(LambdaEvent.JSON.writeValueAsBytes(event), answer,
                    SyntheticInvocation.until("image-gateway-batch-worker", 2048,
                            System.currentTimeMillis() + INVOCATION_MILLIS));
            Set<String> failed = new HashSet<>();
            for (JsonNode failure : LambdaEvent.JSON.readTree(answer.toByteArray()).path("batchItemFailures")) {
                failed.add(failure.path("itemIdentifier").asText());
            }
            List<Message> done = new ArrayList<>();
            for (Message message : messages) {
                if (!failed.contains(message.messageId())) {
                    done.add(message);
                }
            }
            for (Message message : done) {
                sqs.deleteMessage(delete -> delete.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
            }
        } catch (Exception e) {
            // As in AWS: a failed invocation leaves every message of the event on the queue, to come back.
            Log.warnf(e, "Local batch worker invocation failed; its messages come back after the visibility timeout");
        }
    }

    private String arnOf(String queueUrl) {
        return sqs.getQueueAttributes(attributes -> attributes.queueUrl(queueUrl)
                .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
