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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

/** A batch whose completion window ends before its lines ran. */
@QuarkusTest
@TestProfile(BatchExpiryTest.ShortWindow.class)
@WithTestResource(S3TestServer.class)
@WithTestResource(SqsTestServer.class)
@WithTestResource(UpstreamTestServer.class)
class BatchExpiryTest {

    /** The batch profile with a completion window of ten seconds: time for the start and one line, even on a busy machine. */
    public static class ShortWindow extends BatchEngineProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("images.batches.completion-window", "10s");
            return config;
        }
    }

    @Inject
    FileStore files;

    @Inject
    GatewayKeys keys;

    @InjectSqs
    SqsClient sqs;

    @InjectUpstream
    WireMockServer upstream;

    @Test
    void batchPastItsExpiry_endsExpired_theDoneLineDelivered_theRestBatchExpired_andNeverRun() {
        upstream.resetAll();
        UpstreamStubs.answerWith(upstream, List.of(TestImages.png(8, 8)));
        String owner = keys.authenticate("Bearer " + Gateway.CALLER_KEY).owner();
        SqsLambdaDriver queue = SqsLambdaDriver.ofQueue(sqs);
        String id = createBatch(inputFile(files, owner,
                line("done", "{\"model\":\"gpt-image-1\",\"prompt\":\"a\"}"),
                line("late-1", "{\"model\":\"gpt-image-1\",\"prompt\":\"b\"}"),
                line("late-2", "{\"model\":\"gpt-image-1\",\"prompt\":\"c\"}")));
        boolean[] oneLineRun = { false };
        // The start and one line run in time; the other lines arrive after the window has closed.
        queue.runUntil(() -> oneLineRun[0], Duration.ofSeconds(20), m -> {
            if (SqsLambdaDriver.hasType(m, "line")) {
                if (oneLineRun[0]) {
                    return false;
                }
                oneLineRun[0] = true;
            }
            return !SqsLambdaDriver.hasType(m, "check");
        });
        long expiresAt = retrieve(id).path("expires_at").asLong();
        while (System.currentTimeMillis() / 1000 <= expiresAt) {
            SqsLambdaDriver.pause(Duration.ofMillis(200));
        }

        queue.runUntil(() -> finished(id), Duration.ofSeconds(30));

        JsonNode batch = retrieve(id);
        assertThat(batch.path("status").asText()).isEqualTo("expired");
        assertThat(batch.path("expired_at").asLong()).isGreaterThanOrEqualTo(batch.path("expires_at").asLong());
        upstream.verify(1, postRequestedFor(urlEqualTo(UpstreamStubs.PATH)));
        assertThat(lines(files, owner, batch.get("output_file_id"))).hasSize(1);
        List<JsonNode> errors = lines(files, owner, batch.get("error_file_id"));
        assertThat(errors).extracting(e -> e.path("custom_id").asText()).containsExactlyInAnyOrder("late-1", "late-2");
        assertThat(errors).allSatisfy(e -> assertThat(e.path("error").path("code").asText()).isEqualTo("batch_expired"));
        assertThat(batch.path("request_counts").toString()).isEqualTo("{\"total\":3,\"completed\":1,\"failed\":2}");
    }
}
