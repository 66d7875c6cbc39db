package dev.imagegateway.batch.engine;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.imagegateway.batch.engine.BatchTestSupport.createBatch;
import static dev.imagegateway.batch.engine.BatchTestSupport.finished;
import static dev.imagegateway.batch.engine.BatchTestSupport.inputFile;
import static dev.imagegateway.batch.engine.BatchTestSupport.line;
import static dev.imagegateway.batch.engine.BatchTestSupport.lines;
import static dev.imagegateway.batch.engine.BatchTestSupport.retrieve;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.imagegateway.api.GatewayKeys;
import dev.imagegateway.files.FileStore;
import dev.imagegateway.storage.S3Clients;
import dev.imagegateway.testsupport.FlakyS3TestServer;
import dev.imagegateway.testsupport.FlakyS3TestServer.InjectFlakyS3;
import dev.imagegateway.testsupport.Gateway;
import dev.imagegateway.testsupport.S3TestServer;
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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** The worker when S3 refuses to keep a line's result: the line is not lost, and runs again only when it must. */
@QuarkusTest
@TestProfile(BatchEngineProfile.class)
@WithTestResource(FlakyS3TestServer.class)
@WithTestResource(SqsTestServer.class)
@WithTestResource(UpstreamTestServer.class)
class BatchStorageFaultsTest {

    @Inject
    FileStore files;

    @Inject
    GatewayKeys keys;

    @InjectSqs
    SqsClient sqs;

    @InjectUpstream
    WireMockServer upstream;

    @InjectFlakyS3
    FlakyS3TestServer s3;

    private SqsLambdaDriver queue;
    private String owner;

    @BeforeEach
    void reset() {
        upstream.resetAll();
        UpstreamStubs.answerWith(upstream, List.of(TestImages.png(8, 8)));
        queue = SqsLambdaDriver.ofQueue(sqs);
        owner = keys.authenticate("Bearer " + Gateway.CALLER_KEY).owner();
    }

    @AfterEach
    void healS3() {
        s3.dropNextUploads(0);
        s3.dropUploadsOfKeysEndingWith(null);
        s3.loseNextAnswersToUploadsOfKeysEndingWith(null, 0);
    }

    @Test
    void cancelWhoseWriteLandedButItsAnswerWasLost_stillSendsItsCheck_andTheBatchEndsCancelled() {
        String id = createBatch(inputFile(files, owner, line("a", "{\"model\":\"gpt-image-1\",\"prompt\":\"a\"}")));
        // Its start is lost: only the cancel's own check can finish the batch.
        Message start = receive(m -> SqsLambdaDriver.hasType(m, "start") && m.body().contains(id));
        sqs.deleteMessage(d -> d.queueUrl(sqs.getQueueUrl(q -> q.queueName(SqsTestServer.QUEUE)).queueUrl())
                .receiptHandle(start.receiptHandle()));
        // The cancel's PUT of batch.json is stored, its answer lost; the SDK's retry then answers 412.
        s3.loseNextAnswersToUploadsOfKeysEndingWith("/batch.json", 1);

        given().header("Authorization", "Bearer " + Gateway.CALLER_KEY).when().post("/v1/batches/" + id + "/cancel")
                .then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo("cancelling"));
        assertThat(s3.answersLost()).isEqualTo(1);

        queue.runUntil(() -> finished(id), Duration.ofSeconds(30));
        assertThat(retrieve(id).path("status").asText()).isEqualTo("cancelled");
    }

    @Test
    void resultWriteThatFailsOnce_isTriedAgainInTheSameInvocation_andTheUpstreamIsCalledOnce() {
        String id = startedBatch();
        // Every attempt of the SDK's first PUT of the result fails; the worker's own second write gets through.
        s3.dropNextUploadsOfKeysEndingWith(".ok.json", S3Clients.S3_ATTEMPTS);
        List<Message> lineMessage = List.of(receiveLine());

        assertThat(queue.deliver(lineMessage)).isEmpty();

        assertThat(s3.uploadsDropped()).isEqualTo(S3Clients.S3_ATTEMPTS);
        queue.runUntil(() -> finished(id), Duration.ofSeconds(30));
        upstream.verify(1, postRequestedFor(urlEqualTo(UpstreamStubs.PATH)));
        assertThat(retrieve(id).path("request_counts").toString())
                .isEqualTo("{\"total\":1,\"completed\":1,\"failed\":0}");
    }

    @Test
    void workerThatCannotWriteTheResultAtAll_failsTheDelivery_andTheLineRunsOnceMoreOnlyWhenItsClaimRunsOut() {
        String id = startedBatch();
        s3.dropUploadsOfKeysEndingWith(".ok.json");
        List<Message> lineMessage = List.of(receiveLine());

        assertThat(queue.deliver(lineMessage)).containsExactly(lineMessage.get(0).messageId());
        upstream.verify(1, postRequestedFor(urlEqualTo(UpstreamStubs.PATH)));
        s3.dropUploadsOfKeysEndingWith(null);
        // The redelivery finds the failed worker's claim still live: it waits, and calls nothing.
        List<Message> redelivered = List.of(receiveLine());
        assertThat(queue.deliver(redelivered)).isEmpty();
        upstream.verify(1, postRequestedFor(urlEqualTo(UpstreamStubs.PATH)));
        // The claim runs out (the invocation that held it is over); a copy of the message then runs the line.
        int line = Integer.parseInt(lineMessage.get(0).body().replaceAll(".*\"line\":(\\d+).*", "$1"));
        s3.client().putObject(put -> put.bucket(S3TestServer.BUCKET).key(LineClaims.claimKey(owner, id, line)),
                RequestBody.fromString("{\"until\":" + (Instant.now().getEpochSecond() - 1)
                        + ",\"message_id\":\"x\",\"token\":\"x\"}"));
        sqs.sendMessage(send -> send.queueUrl(sqs.getQueueUrl(q -> q.queueName(SqsTestServer.QUEUE)).queueUrl())
                .messageBody(lineMessage.get(0).body()));
        queue.runUntil(() -> finished(id), Duration.ofSeconds(30));

        // The generation whose result was lost is paid twice: the one case where a line costs two.
        upstream.verify(2, postRequestedFor(urlEqualTo(UpstreamStubs.PATH)));
        JsonNode batch = retrieve(id);
        assertThat(batch.path("request_counts").toString()).isEqualTo("{\"total\":1,\"completed\":1,\"failed\":0}");
    }

    private String startedBatch() {
        String id = createBatch(inputFile(files, owner, line("one", "{\"model\":\"gpt-image-1\",\"prompt\":\"a\"}")));
        queue.runUntil(() -> retrieve(id).path("status").asText().equals("in_progress"), Duration.ofSeconds(20),
                m -> SqsLambdaDriver.hasType(m, "start"));
        return id;
    }

    @Test
    void s3RefusingResultsForAWhile_losesNoLine_theyAllFinishLater() {
        String id = createBatch(inputFile(files, owner,
                line("a", "{\"model\":\"gpt-image-1\",\"prompt\":\"a\"}"),
                line("b", "{\"model\":\"gpt-image-1\",\"prompt\":\"b\"}"),
                line("c", "{\"model\":\"gpt-image-1\",\"prompt\":\"c\"}")));
        queue.runUntil(() -> retrieve(id).path("status").asText().equals("in_progress"), Duration.ofSeconds(20),
                m -> SqsLambdaDriver.hasType(m, "start"));
        s3.dropUploadsOfKeysEndingWith(".json");
        long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (System.nanoTime() < until) {
            queue.receive().forEach(m -> queue.deliver(List.of(m)));
        }
        assertThat(s3.uploadsDropped()).isPositive();
        s3.dropUploadsOfKeysEndingWith(null);

        queue.runUntil(() -> finished(id), Duration.ofSeconds(40));

        JsonNode batch = retrieve(id);
        assertThat(batch.path("status").asText()).isEqualTo("completed");
        assertThat(batch.path("request_counts").toString()).isEqualTo("{\"total\":3,\"completed\":3,\"failed\":0}");
        assertThat(lines(files, owner, batch.get("output_file_id"))).extracting(l -> l.path("custom_id").asText())
                .containsExactlyInAnyOrder("a", "b", "c");
    }

    private Message receive(java.util.function.Predicate<Message> wanted) {
        for (int i = 0; i < 20; i++) {
            for (var message : queue.receive()) {
                if (wanted.test(message)) {
                    return message;
                }
            }
        }
        throw new AssertionError("no such message");
    }

    private Message receiveLine() {
        for (int i = 0; i < 20; i++) {
            for (var message : queue.receive()) {
                if (SqsLambdaDriver.hasType(message, "line")) {
                    return message;
                }
            }
        }
        throw new AssertionError("no line message");
    }
}
