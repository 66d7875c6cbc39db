package dev.imagegateway.batch.engine;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
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
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.batches.BatchUsage;
import dev.imagegateway.api.GatewayKeys;
import dev.imagegateway.files.FileStore;
import dev.imagegateway.testsupport.Gateway;
import dev.imagegateway.testsupport.InvocationContext;
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
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** Finalization: files of many parts, cut off and resumed, waiting for running lines, and usage. */
@QuarkusTest
@TestProfile(BatchFinalizationTest.SmallParts.class)
@WithTestResource(S3TestServer.class)
@WithTestResource(SqsTestServer.class)
@WithTestResource(UpstreamTestServer.class)
class BatchFinalizationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(40);
    private static final int PART = 5 * 1024 * 1024;

    /** The batch profile with S3's smallest parts and a one-second deadline margin (a shorter cancel wait). */
    public static class SmallParts extends BatchEngineProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("images.batches.output-part-bytes", String.valueOf(PART));
            config.put("images.batch.deadline-margin", "1s");
            return config;
        }
    }

    @Inject
    FileStore files;

    @Inject
    BatchStore store;

    @Inject
    FinalizeCheckpoints checkpoints;

    @Inject
    BatchFinalizer finalizer;

    @Inject
    GatewayKeys keys;

    @InjectSqs
    SqsClient sqs;

    @InjectUpstream
    WireMockServer upstream;

    private SqsLambdaDriver queue;
    private String owner;

    @BeforeEach
    void emptyQueueAndUpstream() {
        upstream.resetAll();
        queue = SqsLambdaDriver.ofQueue(sqs);
        sqs.purgeQueue(p -> p.queueUrl(queueUrl()));
        owner = keys.authenticate("Bearer " + Gateway.CALLER_KEY).owner();
    }

    @Test
    void finalizationCutOffByItsDeadline_resumesFromItsCheckpoint_andWritesEveryLineOnceInOrder_overManyParts() {
        int count = 60;
        String[] input = new String[count];
        for (int i = 0; i < count; i++) {
            input[i] = line("line-" + i, "{\"prompt\":\"p" + i + "\"}");
        }
        String id = startedBatch(input);
        // Results of about 256 KiB each, as b64_json lines are: 15 MB, three parts of 5 MiB and more.
        List<JsonNode> expectedOutput = new ArrayList<>();
        List<JsonNode> expectedErrors = new ArrayList<>();
        for (int line = 1; line <= count; line++) {
            boolean ok = line % 20 != 7;
            ObjectNode result = result(line, ok);
            store.writeResult(owner, id, line, ok, BatchTestSupport.JSON.valueToTree(result).toString().getBytes());
            (ok ? expectedOutput : expectedErrors).add(result);
        }
        sendCheck(id);

        // Each of these invocations has time for one window of results, then finds its deadline near.
        long plenty = finalizer.stopReserveMillis() + 60_000;
        int cutOff = 0;
        long end = System.nanoTime() + TIMEOUT.toNanos();
        while (cutOff < 3) {
            assertThat(System.nanoTime()).as("a check continues the finalization").isLessThan(end);
            for (Message message : queue.receive()) {
                queue.deliver(List.of(message), InvocationContext.runningOutAfterOneLook((int) plenty, 1_000));
                cutOff++;
            }
        }
        assertThat(finished(id)).isFalse();
        FinalizeCheckpoint saved = checkpoints.find(owner, id).orElseThrow().checkpoint();
        assertThat(saved.output().parts()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(saved.output().nextLine()).isGreaterThan(1);
        queue.runUntil(() -> finished(id), TIMEOUT);

        JsonNode batch = retrieve(id);
        assertThat(batch.path("status").asText()).isEqualTo("completed");
        assertThat(batch.path("request_counts").toString())
                .isEqualTo("{\"total\":60,\"completed\":" + expectedOutput.size() + ",\"failed\":3}");
        assertThat(lines(files, owner, batch.get("output_file_id"))).containsExactlyElementsOf(expectedOutput);
        assertThat(lines(files, owner, batch.get("error_file_id"))).containsExactlyElementsOf(expectedErrors);
        assertThat(batch.path("usage").path("output_tokens").asLong()).isEqualTo(10L * expectedOutput.size());
        assertThat(checkpoints.find(owner, id)).isEmpty();
    }

    @Test
    void cancelWhileALineStillRuns_waitsForIt_thenDeliversItsResult() throws Exception {
        upstream.stubFor(post(urlEqualTo(UpstreamStubs.PATH)).willReturn(UpstreamStubs.json(200,
                UpstreamStubs.imagesBody(List.of(TestImages.png(8, 8)), false)).withFixedDelay(1_500)));
        String id = startedBatch(line("running", "{\"model\":\"gpt-image-1\",\"prompt\":\"a\"}"),
                line("never", "{\"model\":\"gpt-image-1\",\"prompt\":\"b\"}"));
        Message first = receiveLine();
        CompletableFuture<?> running = CompletableFuture.runAsync(() -> queue.deliver(List.of(first)));
        SqsLambdaDriver.pause(Duration.ofMillis(500));
        given().header("Authorization", "Bearer " + Gateway.CALLER_KEY).when().post("/v1/batches/" + id + "/cancel")
                .then().statusCode(200);
        sendCheck(id);

        // Checks until the line is done: the batch waits, and no check finalizes it.
        while (!running.isDone()) {
            queue.receive().forEach(m -> queue.deliver(List.of(m)));
        }
        running.get();
        for (int i = 0; i < 2; i++) {
            queue.receive().forEach(m -> queue.deliver(List.of(m)));
        }
        assertThat(retrieve(id).path("status").asText()).isEqualTo("cancelling");
        queue.runUntil(() -> finished(id), TIMEOUT);

        JsonNode batch = retrieve(id);
        assertThat(batch.path("status").asText()).isEqualTo("cancelled");
        assertThat(lines(files, owner, batch.get("output_file_id"))).extracting(l -> l.path("custom_id").asText())
                .containsExactly("running");
        assertThat(lines(files, owner, batch.get("error_file_id"))).extracting(l -> l.path("error").path("code")
                .asText()).containsExactly("batch_cancelled");
    }

    @Test
    void usageOfAFinishedBatch_hasOpenAisBatchUsageShape_asTheOfficialSdkReadsIt() {
        UpstreamStubs.answerWith(upstream, List.of(TestImages.png(8, 8)));
        String id = createBatch(inputFile(files, owner, line("a", "{\"model\":\"gpt-image-1\",\"prompt\":\"a\"}"),
                line("b", "{\"model\":\"gpt-image-1\",\"prompt\":\"b\"}")));
        queue.runUntil(() -> finished(id), TIMEOUT);
        OpenAIClient client = OpenAIOkHttpClient.builder().apiKey(Gateway.CALLER_KEY)
                .baseUrl("http://localhost:" + RestAssured.port + "/v1").maxRetries(0).build();

        BatchUsage usage = client.batches().retrieve(id).usage().orElseThrow();

        JsonNode line = UpstreamStubs.usage();
        assertThat(usage.inputTokens()).isEqualTo(2 * line.path("input_tokens").asLong());
        assertThat(usage.outputTokens()).isEqualTo(2 * line.path("output_tokens").asLong());
        assertThat(usage.totalTokens()).isEqualTo(2 * line.path("total_tokens").asLong());
        assertThat(usage.inputTokensDetails().cachedTokens()).isZero();
        assertThat(usage.outputTokensDetails().reasoningTokens()).isZero();
        JsonNode json = retrieve(id).path("usage");
        assertThat(json.path("input_tokens_details").path("cached_tokens").isIntegralNumber()).isTrue();
        assertThat(json.path("output_tokens_details").path("reasoning_tokens").isIntegralNumber()).isTrue();
    }

    /** A batch created, validated and in_progress, its line messages and first check left on the queue. */
    private String startedBatch(String... input) {
        String id = createBatch(inputFile(files, owner, input));
        queue.runUntil(() -> retrieve(id).path("status").asText().equals("in_progress"), TIMEOUT,
                m -> SqsLambdaDriver.hasType(m, "start"));
        if (input.length > 2) {
            sqs.purgeQueue(p -> p.queueUrl(queueUrl()));
        }
        return id;
    }

    private Message receiveLine() {
        long end = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < end) {
            for (Message message : queue.receive()) {
                if (SqsLambdaDriver.hasType(message, "line")) {
                    return message;
                }
            }
        }
        throw new AssertionError("no line message");
    }

    private void sendCheck(String id) {
        sqs.sendMessage(s -> s.queueUrl(queueUrl()).messageBody("{\"type\":\"check\",\"owner\":\"" + owner
                + "\",\"batch_id\":\"" + id + "\"}"));
    }

    private String queueUrl() {
        return sqs.getQueueUrl(q -> q.queueName(SqsTestServer.QUEUE)).queueUrl();
    }

    private static ObjectNode result(int line, boolean ok) {
        ObjectNode result = BatchTestSupport.JSON.createObjectNode();
        result.put("id", "batch_req_" + line);
        result.put("custom_id", "line-" + (line - 1));
        ObjectNode response = result.putObject("response");
        response.put("status_code", ok ? 200 : 400);
        response.put("request_id", "r" + line);
        ObjectNode body = response.putObject("body");
        if (ok) {
            body.put("created", 1732579200);
            body.putArray("data").addObject().put("b64_json", "A".repeat(256 * 1024));
            body.putObject("usage").put("output_tokens", 10);
        } else {
            body.putObject("error").put("code", "invalid_value").put("message", "no");
        }
        result.putNull("error");
        return result;
    }
}
