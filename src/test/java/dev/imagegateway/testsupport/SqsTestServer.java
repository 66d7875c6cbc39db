package dev.imagegateway.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.URI;
import java.util.Map;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A real SQS-compatible server (ElasticMQ, in memory) on 127.0.0.1 with the Batch API's queue and its
 * dead-letter queue, wired as in template.yaml: a message received {@link #MAX_RECEIVES} times without
 * being deleted moves to the dead-letter queue (the template says 10; 8 keeps the tests shorter, and
 * both are above images.batches.max-attempts, 5, as they must be).
 */
public class SqsTestServer implements QuarkusTestResourceLifecycleManager {

    public static final String QUEUE = "gateway-batch-work";
    public static final String DEAD_LETTER_QUEUE = "gateway-batch-work-dlq";
    public static final int MAX_RECEIVES = 8;
    /** Short, so that a message a "dying" worker never deleted comes back within a test. */
    public static final int VISIBILITY_TIMEOUT_SECONDS = 2;

    /** Marks an {@link SqsClient} field of a test that should talk to this server. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface InjectSqs {
    }

    private SQSRestServer server;
    private SqsClient client;
    private String queueUrl;
    private String deadLetterQueueUrl;
    private URI endpoint;

    @Override
    public Map<String, String> start() {
        startServer();
        return Map.of(
                "images.batches.sqs-endpoint", endpoint.toString(),
                "images.batches.queue-url", queueUrl,
                "images.batches.dead-letter-queue-url", deadLetterQueueUrl);
    }

    /** Starts the server outside Quarkus (plain JUnit tests) and returns its endpoint. */
    public URI startServer() {
        server = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().start();
        int port = server.waitUntilStarted().localAddress().getPort();
        endpoint = URI.create("http://127.0.0.1:" + port);
        client = clientFor(endpoint);
        deadLetterQueueUrl = client.createQueue(q -> q.queueName(DEAD_LETTER_QUEUE)).queueUrl();
        String deadLetterArn = client.getQueueAttributes(a -> a.queueUrl(deadLetterQueueUrl)
                .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
        queueUrl = client.createQueue(q -> q.queueName(QUEUE).attributes(Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, String.valueOf(VISIBILITY_TIMEOUT_SECONDS),
                QueueAttributeName.REDRIVE_POLICY,
                "{\"maxReceiveCount\":\"" + MAX_RECEIVES + "\",\"deadLetterTargetArn\":\"" + deadLetterArn + "\"}")))
                .queueUrl();
        return endpoint;
    }

    public static SqsClient clientFor(URI endpoint) {
        return SqsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3TestServer.ACCESS_KEY, S3TestServer.SECRET_KEY)))
                .build();
    }

    /** Empties the queue and its dead-letter queue: what one test left there must not reach the next. */
    public static void purgeBoth(SqsClient sqs) {
        for (String name : new String[] { QUEUE, DEAD_LETTER_QUEUE }) {
            sqs.purgeQueue(p -> p.queueUrl(sqs.getQueueUrl(q -> q.queueName(name)).queueUrl()));
        }
    }

    public SqsClient client() {
        return client;
    }

    public String queueUrl() {
        return queueUrl;
    }

    public String deadLetterQueueUrl() {
        return deadLetterQueueUrl;
    }

    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(client, new TestInjector.AnnotatedAndMatchesType(InjectSqs.class, SqsClient.class));
    }

    @Override
    public void stop() {
        if (client != null) {
            client.close();
            client = null;
        }
        if (server != null) {
            server.stopAndWait();
            server = null;
        }
    }
}
