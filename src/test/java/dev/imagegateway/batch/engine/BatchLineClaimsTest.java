package dev.imagegateway.batch.engine;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.imagegateway.batch.engine.BatchTestSupport.createBatch;
import static dev.imagegateway.batch.engine.BatchTestSupport.finished;
import static dev.imagegateway.batch.engine.BatchTestSupport.inputFile;
import static dev.imagegateway.batch.engine.BatchTestSupport.line;
import static dev.imagegateway.batch.engine.BatchTestSupport.retrieve;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.imagegateway.api.GatewayKeys;
import dev.imagegateway.files.FileStore;
import dev.imagegateway.testsupport.Gateway;
import dev.imagegateway.testsupport.S3TestServer;
import dev.imagegateway.testsupport.S3TestServer.InjectS3;
import dev.imagegateway.testsupport.SqsLambdaDriver;
import dev.imagegateway.testsupport.SqsTestServer;
import dev.imagegateway.testsupport.SqsTestServer.InjectSqs;
import dev.imagegateway.testsupport.TestImages;
import dev.imagegateway.testsupport.UpstreamStubs;
import dev.imagegateway.testsupport.UpstreamTestServer;
import dev.imagegateway.testsupport.UpstreamTestServer.InjectUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Copies of one line message, workers that die mid-line, and lines with more than one result: the
 * upstream is called once per line, and each line counts once.
 */
@QuarkusTest
@TestProfile(BatchEngineProfile.class)
@WithTestResource(S3TestServer.class)
@WithTestResource(SqsTestServer.class)
@WithTestResource(UpstreamTestServer.class)
class BatchLineClaimsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(40);
    private static final String BODY = "{\"model\":\"gpt-image-1\",\"prompt\":\"a\"}";

    @Inject
    FileStore files;

    @Inject
    GatewayKeys keys;

    @Inject
    BatchStore store;

    @InjectSqs
    SqsClient sqs;

    @InjectS3
    S3Client s3;

    @InjectUpstream
    WireMockServer upstream;

    private SqsLambdaDriver queue;
    private String queueUrl;
    private String owner;

    @BeforeEach
    void emptyQueueAndUpstream() {
        upstream.resetAll();
        UpstreamStubs.answerWith(upstream, List.of(TestImages.png(8, 8)));
        queue = SqsLambdaDriver.ofQueue(sqs);
        queueUrl = sqs.getQueueUrl(q -> q.queueName(SqsTestServer.QUEUE)).queueUrl();
        SqsTestServer.purgeBoth(sqs);
        owner = keys.authenticate("Bearer " + Gateway.CALLER_KEY).owner();
    }

    @Test
    void twoCopiesOfALineDeliveredAtOnce_callTheUpstreamOnce_andKeepOneResult() {
        // Slow enough that both copies are inside the worker at the same time.
        upstream.stubFor(post(urlEqualTo(UpstreamStubs.PATH)).willReturn(
                UpstreamStubs.json(200, UpstreamStubs.imagesBody(List.of(TestImages.png(8, 8)), true))
                        .withFixedDelay(1500)));
        String id = startedBatch();
        Message original = receiveOne("line");
        sqs.sendMessage(s -> s.queueUrl(queueUrl).messageBody(original.body()));
        Message copy = receiveOne("line");

        CompletableFuture<java.util.Set<String>> first = CompletableFuture.supplyAsync(() -> queue.deliver(List.of(original)));
        CompletableFuture<java.util.Set<String>> second = CompletableFuture.supplyAsync(() -> queue.deliver(List.of(copy)));
        assertThat(first.join()).isEmpty();
        assertThat(second.join()).isEmpty();

        upstream.verify(1, postRequestedFor(urlEqualTo(UpstreamStubs.PATH)));
        assertThat(store.resultKeys(owner, id)).hasSize(1);
        queue.runUntil(() -> finished(id), TIMEOUT);
        upstream.verify(1, postRequestedFor(urlEqualTo(UpstreamStubs.PATH)));
        assertThat(retrieve(id).path("request_counts").toString())
                .isEqualTo("{\"total\":1,\"completed\":1,\"failed\":0}");
    }

    @Test
    void claimWhoseWorkerDiedWithoutAResult_isTakenOver_andTheRedeliveryCallsTheUpstreamExactlyOnce() {
        String id = startedBatch();
        Message lineMessage = receiveOne("line");
        // A worker claimed the line and died: its claim ran out, and it wrote no result.
        writeClaim(id, lineOf(lineMessage), Instant.now().minusSeconds(5));

        assertThat(queue.deliver(List.of(lineMessage))).isEmpty();

        upstream.verify(1, postRequestedFor(urlEqualTo(UpstreamStubs.PATH)));
        queue.runUntil(() -> finished(id), TIMEOUT);
        upstream.verify(1, postRequestedFor(urlEqualTo(UpstreamStubs.PATH)));
        assertThat(retrieve(id).path("request_counts").path("completed").asInt()).isEqualTo(1);
    }

    @Test
    void liveClaimOfAnotherDelivery_defersTheLineWithoutACall_andWithoutCountingAnAttempt_untilItRunsOut() {
        String id = startedBatch();
        Message lineMessage = receiveOne("line");
        writeClaim(id, lineOf(lineMessage), Instant.now().plusSeconds(3));

        assertThat(queue.deliver(List.of(lineMessage))).isEmpty();

        upstream.verify(0, postRequestedFor(urlEqualTo(UpstreamStubs.PATH)));
        Message again = receiveOne("line");
        assertThat(again.body()).contains("\"prior_attempts\":0");
        queue.deliver(List.of(again));
        queue.runUntil(() -> finished(id), TIMEOUT);
        upstream.verify(1, postRequestedFor(urlEqualTo(UpstreamStubs.PATH)));
        assertThat(retrieve(id).path("request_counts").path("completed").asInt()).isEqualTo(1);
    }

    @Test
    void lineWithBothAnOkAndAnErrResult_countsOnce_asCompleted() {
        String id = startedBatch();
        Message lineMessage = receiveOne("line");
        assertThat(queue.deliver(List.of(lineMessage))).isEmpty();
        // A second result of the same line, as a late dead-letter record or a second delivery leaves it.
        store.writeResult(owner, id, lineOf(lineMessage), false,
                "{\"id\":\"batch_req_x\",\"custom_id\":\"one\",\"response\":null,\"error\":{\"code\":\"dead_lettered\",\"message\":\"lost\"}}"
                        .getBytes(StandardCharsets.UTF_8));

        queue.runUntil(() -> finished(id), TIMEOUT);

        assertThat(retrieve(id).path("request_counts").toString())
                .isEqualTo("{\"total\":1,\"completed\":1,\"failed\":0}");
    }

    @Test
    void deadLetteredLineThatAlreadyHasAResult_isNotRecordedAgain() {
        String id = startedBatch();
        Message lineMessage = receiveOne("line");
        // The worker wrote the result, then died before the message was deleted; it later ends in the DLQ.
        assertThat(queue.invoke(List.of(lineMessage))).isEmpty();
        String dlq = sqs.getQueueUrl(q -> q.queueName(SqsTestServer.DEAD_LETTER_QUEUE)).queueUrl();
        sqs.sendMessage(s -> s.queueUrl(dlq).messageBody(lineMessage.body()));
        sqs.deleteMessage(d -> d.queueUrl(queueUrl).receiptHandle(lineMessage.receiptHandle()));
        SqsLambdaDriver deadLetters = SqsLambdaDriver.ofDeadLetterQueue(sqs);
        assertThat(deadLetters.deliver(deadLetters.receive())).isEmpty();

        assertThat(store.resultKeys(owner, id)).singleElement().satisfies(key -> assertThat(key).endsWith(".ok.json"));
        queue.runUntil(() -> finished(id), TIMEOUT);
        assertThat(retrieve(id).path("request_counts").toString())
                .isEqualTo("{\"total\":1,\"completed\":1,\"failed\":0}");
    }

    @Test
    void recordThatFailsWithAnException_comesBackAfterTheShortBackoff_notTheQueuesVisibilityTimeout() {
        // A batch record that cannot be read: the check throws.
        String id = "batch_unreadable" + System.nanoTime();
        s3.putObject(put -> put.bucket(S3TestServer.BUCKET).key(BatchStore.batchKey(owner, id)),
                RequestBody.fromString("not json"));
        sqs.sendMessage(s -> s.queueUrl(queueUrl).messageBody("{\"type\":\"check\",\"owner\":\"" + owner
                + "\",\"batch_id\":\"" + id + "\"}"));
        // Received with a 60-second visibility, as the deployed queue's 90 minutes.
        List<Message> received = sqs.receiveMessage(r -> r.queueUrl(queueUrl).waitTimeSeconds(5).visibilityTimeout(60)
                .messageSystemAttributeNames(MessageSystemAttributeName.ALL)).messages();
        assertThat(received).hasSize(1);

        assertThat(queue.deliver(received)).containsExactly(received.get(0).messageId());

        long start = System.nanoTime();
        List<Message> back = List.of();
        while (back.isEmpty() && System.nanoTime() - start < Duration.ofSeconds(10).toNanos()) {
            back = queue.receive();
        }
        // retry-backoff is 1 s in the test profile: back within seconds, on its second receive.
        assertThat(back).singleElement().satisfies(m -> {
            assertThat(m.messageId()).isEqualTo(received.get(0).messageId());
            assertThat(m.attributesAsStrings().get("ApproximateReceiveCount")).isEqualTo("2");
        });
        String receipt = back.get(0).receiptHandle();
        sqs.deleteMessage(d -> d.queueUrl(queueUrl).receiptHandle(receipt));
    }

    private String startedBatch() {
        String id = createBatch(inputFile(files, owner, line("one", BODY)));
        queue.runUntil(() -> retrieve(id).path("status").asText().equals("in_progress"), TIMEOUT,
                m -> SqsLambdaDriver.hasType(m, "start"));
        return id;
    }

    private void writeClaim(String id, int line, Instant until) {
        String lease = "{\"until\":" + until.getEpochSecond() + ",\"message_id\":\"another\",\"token\":\"another\"}";
        s3.putObject(put -> put.bucket(S3TestServer.BUCKET).key(LineClaims.claimKey(owner, id, line)),
                RequestBody.fromString(lease));
    }

    private static int lineOf(Message message) {
        return Integer.parseInt(message.body().replaceAll(".*\"line\":(\\d+).*", "$1"));
    }

    private Message receiveOne(String type) {
        for (int i = 0; i < 20; i++) {
            for (Message message : queue.receive()) {
                if (SqsLambdaDriver.hasType(message, type)) {
                    return message;
                }
            }
        }
        throw new AssertionError("no " + type + " message");
    }
}
