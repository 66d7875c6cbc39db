package dev.imagegateway.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagegateway.lambda.LambdaEntry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Plays Lambda's SQS event source mapping against the test queue: receives messages, turns them into the
 * SQS event Lambda would send (eventSourceARN, ApproximateReceiveCount and the rest), hands it to
 * {@link LambdaEntry#dispatch} — the function's own handler path — or to the packaged function through
 * the Runtime API, and deletes the messages the answer does not name in {@code batchItemFailures}, as
 * {@code ReportBatchItemFailures} does.
 */
public final class SqsLambdaDriver {

    /** Delivers one event to the function and returns its answer. */
    @FunctionalInterface
    public interface Invoker {
        byte[] invoke(byte[] event, com.amazonaws.services.lambda.runtime.Context context) throws Exception;
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern JSON_TYPE = Pattern.compile("\"type\":\"(\\w+)\"");

    private final SqsClient sqs;
    private final String queueUrl;
    private final String queueArn;
    private final Invoker invoker;

    public SqsLambdaDriver(SqsClient sqs, String queueUrl) {
        this(sqs, queueUrl, SqsLambdaDriver::inProcess);
    }

    public SqsLambdaDriver(SqsClient sqs, String queueUrl, Invoker invoker) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.invoker = invoker;
        this.queueArn = sqs.getQueueAttributes(a -> a.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    /** A driver of the main queue of {@link SqsTestServer}. */
    public static SqsLambdaDriver ofQueue(SqsClient sqs) {
        return new SqsLambdaDriver(sqs, sqs.getQueueUrl(q -> q.queueName(SqsTestServer.QUEUE)).queueUrl());
    }

    /** A driver of its dead-letter queue. */
    public static SqsLambdaDriver ofDeadLetterQueue(SqsClient sqs) {
        return new SqsLambdaDriver(sqs, sqs.getQueueUrl(q -> q.queueName(SqsTestServer.DEAD_LETTER_QUEUE)).queueUrl());
    }

    /** Receives up to ten messages (waiting up to a second) without handling them. */
    public List<Message> receive() {
        return sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
    }

    /** Delivers these messages in one event; returns the ids reported as failures. Others are deleted. */
    public Set<String> deliver(List<Message> messages) {
        return deliver(messages, new InvocationContext());
    }

    /** Like {@link #deliver(List)}, in an invocation with {@code context}'s remaining time. */
    public Set<String> deliver(List<Message> messages, com.amazonaws.services.lambda.runtime.Context context) {
        Set<String> failed = invoke(messages, context);
        List<DeleteMessageBatchRequestEntry> delete = new ArrayList<>();
        for (Message message : messages) {
            if (!failed.contains(message.messageId())) {
                delete.add(DeleteMessageBatchRequestEntry.builder().id(message.messageId())
                        .receiptHandle(message.receiptHandle()).build());
            }
        }
        if (!delete.isEmpty()) {
            sqs.deleteMessageBatch(d -> d.queueUrl(queueUrl).entries(delete));
        }
        return failed;
    }

    /** Calls the handler with the event for {@code messages}, deleting nothing: a worker that dies after its work. */
    public Set<String> invoke(List<Message> messages) {
        return invoke(messages, new InvocationContext());
    }

    /** Calls the handler with {@code context} (its remaining time is the worker's deadline), deleting nothing. */
    public Set<String> invoke(List<Message> messages, com.amazonaws.services.lambda.runtime.Context context) {
        try {
            JsonNode answer = JSON.readTree(invoker.invoke(JSON.writeValueAsBytes(event(messages)), context));
            Set<String> failed = new HashSet<>();
            answer.path("batchItemFailures").forEach(f -> failed.add(f.path("itemIdentifier").asText()));
            return failed;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new AssertionError("the worker invocation failed", e);
        }
    }

    private static byte[] inProcess(byte[] event, com.amazonaws.services.lambda.runtime.Context context)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LambdaEntry.dispatch(event, out, context);
        return out.toByteArray();
    }

    /** Receives and delivers, one message per event as the template's BatchSize 1, until {@code done} or the timeout. */
    public void runUntil(BooleanSupplier done, Duration timeout) {
        runUntil(done, timeout, message -> true);
    }

    /** Like {@link #runUntil(BooleanSupplier, Duration)}, delivering only the messages {@code deliverable} accepts. */
    public void runUntil(BooleanSupplier done, Duration timeout, Predicate<Message> deliverable) {
        long end = System.nanoTime() + timeout.toNanos();
        // What came, by type: a batch that never gets there is told apart from one whose messages never came.
        Map<String, Integer> delivered = new TreeMap<>();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("the batch did not get there within " + timeout + "; messages delivered: "
                        + delivered);
            }
            for (Message message : receive()) {
                if (deliverable.test(message)) {
                    deliver(List.of(message));
                    delivered.merge(JSON_TYPE.matcher(message.body()).results().map(m -> m.group(1)).findFirst()
                            .orElse("?"), 1, Integer::sum);
                }
            }
        }
    }

    /** The SQS event Lambda builds for these messages. */
    public ObjectNode event(List<Message> messages) {
        ObjectNode event = JSON.createObjectNode();
        ArrayNode records = event.putArray("Records");
        for (Message message : messages) {
            ObjectNode record = records.addObject();
            record.put("messageId", message.messageId());
            record.put("receiptHandle", message.receiptHandle());
            record.put("body", message.body());
            ObjectNode attributes = record.putObject("attributes");
            message.attributesAsStrings().forEach(attributes::put);
            attributes.putIfAbsent("ApproximateReceiveCount", JSON.getNodeFactory().textNode("1"));
            record.putObject("messageAttributes");
            record.put("md5OfBody", message.md5OfBody());
            record.put("eventSource", "aws:sqs");
            record.put("eventSourceARN", queueArn);
            record.put("awsRegion", "us-east-1");
        }
        return event;
    }

    public static boolean hasType(Message message, String type) {
        return message.body().contains("\"type\":\"" + type + "\"");
    }

    /** Waits a moment; polling loops in tests use it between looks. */
    public static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
