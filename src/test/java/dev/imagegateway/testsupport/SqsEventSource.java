package dev.imagegateway.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * What Lambda's SQS event source mapping does, one poll at a time under the test's control: receives
 * messages, hands them to the function as a real SQS event ({@code Records[]} with {@code messageId},
 * {@code receiptHandle}, {@code body}, {@code attributes}, {@code eventSource}, {@code eventSourceARN}),
 * and deletes those the answer does not name in {@code batchItemFailures}. A failed invocation (the
 * invoker throws) deletes nothing: every message comes back after its visibility timeout.
 */
public final class SqsEventSource {

    /** Delivers one event to the function and returns its answer. */
    @FunctionalInterface
    public interface Invoker {
        byte[] invoke(byte[] event) throws Exception;
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SqsClient sqs;
    private final String queueUrl;
    private final String queueArn;
    private final Invoker invoker;

    public SqsEventSource(SqsClient sqs, String queueUrl, Invoker invoker) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.invoker = invoker;
        this.queueArn = sqs.getQueueAttributes(a -> a.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    /** Receives up to {@code batchSize} visible messages (waiting up to a second) without delivering them. */
    public List<Message> receive(int batchSize) {
        return sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(batchSize).waitTimeSeconds(1)
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
    }

    /**
     * One poll: receives up to {@code batchSize} messages, delivers them as one event, deletes what
     * succeeded. Returns how many messages were delivered (0 when the queue had none visible).
     */
    public int pollOnce(int batchSize) throws Exception {
        List<Message> messages = receive(batchSize);
        if (messages.isEmpty()) {
            return 0;
        }
        deliver(messages);
        return messages.size();
    }

    /** Delivers {@code messages} as one event and deletes those the answer does not report as failed. */
    public Set<String> deliver(List<Message> messages) throws Exception {
        byte[] answer = invoker.invoke(event(messages));
        Set<String> failed = new HashSet<>();
        for (JsonNode failure : JSON.readTree(answer).path("batchItemFailures")) {
            failed.add(failure.path("itemIdentifier").asText());
        }
        for (Message message : messages) {
            if (!failed.contains(message.messageId())) {
                sqs.deleteMessage(d -> d.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
            }
        }
        return failed;
    }

    /** The SQS event Lambda would deliver for {@code messages} from this queue. */
    public byte[] event(List<Message> messages) {
        ObjectNode event = JSON.createObjectNode();
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
            record.put("eventSourceARN", queueArn);
            record.put("awsRegion", "us-east-1");
        }
        try {
            return JSON.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
