package dev.imagegateway.local;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * An SQS-compatible server (ElasticMQ, in memory) on 127.0.0.1 with the Batch API's work queue and its
 * dead-letter queue, wired as template.yaml wires them. Messages live as long as the dev session.
 */
@ApplicationScoped
public class EmbeddedQueue {

    static final String QUEUE = "gateway-batch-work";
    static final String DEAD_LETTER_QUEUE = "gateway-batch-work-dlq";
    /** As in template.yaml: more than images.batches.max-attempts, so only what cannot run dead-letters. */
    static final int MAX_RECEIVES = 10;
    /** Longer than a local line takes; a line whose worker died comes back after this. */
    static final int VISIBILITY_TIMEOUT_SECONDS = 300;

    private final LocalModeConfig config;
    private final SqsClient sqs;
    private SQSRestServer server;

    public EmbeddedQueue(LocalModeConfig config, SqsClient sqs) {
        this.config = config;
        this.sqs = sqs;
    }

    static String queueUrl(int port, String name) {
        return "http://127.0.0.1:" + port + "/000000000000/" + name;
    }

    void start(@Observes @Priority(11) StartupEvent event) {
        if (!config.queue().enabled()) {
            return;
        }
        int port = config.queue().port();
        try {
            server = SQSRestServerBuilder.withInterface("127.0.0.1").withPort(port)
                    .withServerAddress(new NodeAddress("http", "127.0.0.1", port, "")).start();
            server.waitUntilStarted();
        } catch (RuntimeException e) {
            throw new IllegalStateException("The local queue cannot listen on 127.0.0.1:" + port
                    + " (port taken?). Choose another port with LOCAL_QUEUE_PORT.", e);
        }
        String deadLetterUrl = sqs.createQueue(q -> q.queueName(DEAD_LETTER_QUEUE)).queueUrl();
        String deadLetterArn = sqs.getQueueAttributes(a -> a.queueUrl(deadLetterUrl)
                .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
        sqs.createQueue(q -> q.queueName(QUEUE).attributes(Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, String.valueOf(VISIBILITY_TIMEOUT_SECONDS),
                QueueAttributeName.REDRIVE_POLICY,
                "{\"maxReceiveCount\":\"" + MAX_RECEIVES + "\",\"deadLetterTargetArn\":\"" + deadLetterArn + "\"}")));
        Log.infof("Local queue (ElasticMQ) on 127.0.0.1:%d: %s and its dead-letter queue %s", port, QUEUE,
                DEAD_LETTER_QUEUE);
    }

    void stop(@Observes ShutdownEvent event) {
        if (server != null) {
            server.stopAndWait();
            server = null;
        }
    }
}
