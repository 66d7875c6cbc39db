package dev.imagegateway.batch.engine;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.imagegateway.batch.engine.BatchTestSupport.createBatch;
import static dev.imagegateway.batch.engine.BatchTestSupport.finished;
import static dev.imagegateway.batch.engine.BatchTestSupport.inputFile;
import static dev.imagegateway.batch.engine.BatchTestSupport.line;
import static dev.imagegateway.batch.engine.BatchTestSupport.lines;
import static dev.imagegateway.batch.engine.BatchTestSupport.retrieve;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.imagegateway.api.GatewayKeys;
import dev.imagegateway.files.FileStore;
import dev.imagegateway.testsupport.FlakyS3TestServer;
import dev.imagegateway.testsupport.FlakyS3TestServer.InjectFlakyS3;
import dev.imagegateway.testsupport.Gateway;
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
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The worker when S3 refuses to keep a line's result: the line is not lost, and runs again. */
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
        s3.dropUploadsOfKeysEndingWith(null);
    }

    @Test
    void workerThatCannotWriteTheResult_failsTheDelivery_andTheRedeliveryCallsTheUpstreamExactlyOnceMore() {
        String id = createBatch(inputFile(files, owner, line("one", "{\"model\":\"gpt-image-1\",\"prompt\":\"a\"}")));
        queue.runUntil(() -> retrieve(id).path("status").asText().equals("in_progress"), Duration.ofSeconds(20),
                m -> SqsLambdaDriver.hasType(m, "start"));
        s3.dropUploadsOfKeysEndingWith(".ok.json");
        List<software.amazon.awssdk.services.sqs.model.Message> lineMessage = List.of(receiveLine());

        assertThat(queue.deliver(lineMessage)).containsExactly(lineMessage.get(0).messageId());
        upstream.verify(1, postRequestedFor(urlEqualTo(UpstreamStubs.PATH)));
        s3.dropUploadsOfKeysEndingWith(null);
        queue.runUntil(() -> finished(id), Duration.ofSeconds(30));

        upstream.verify(2, postRequestedFor(urlEqualTo(UpstreamStubs.PATH)));
        JsonNode batch = retrieve(id);
        assertThat(batch.path("request_counts").toString()).isEqualTo("{\"total\":1,\"completed\":1,\"failed\":0}");
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

    private software.amazon.awssdk.services.sqs.model.Message receiveLine() {
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
