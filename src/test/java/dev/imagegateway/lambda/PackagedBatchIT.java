package dev.imagegateway.lambda;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponse;
import com.openai.models.batches.Batch;
import com.openai.models.batches.BatchCreateParams;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FileObject;
import com.openai.models.files.FilePurpose;
import dev.imagegateway.testsupport.ApiGatewayDoor;
import dev.imagegateway.testsupport.Gateway;
import dev.imagegateway.testsupport.LambdaRuntimeApi;
import dev.imagegateway.testsupport.PackagedFunction;
import dev.imagegateway.testsupport.S3TestServer;
import dev.imagegateway.testsupport.SqsLambdaDriver;
import dev.imagegateway.testsupport.SqsTestServer;
import dev.imagegateway.testsupport.TestImages;
import dev.imagegateway.testsupport.UpstreamStubs;
import dev.imagegateway.testsupport.UpstreamTestServer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Batch API end to end on {@code target/function.zip} as Lambda runs it: the official OpenAI Java
 * SDK calls the packaged function through an HTTP API stand-in ({@link ApiGatewayDoor}), and the same
 * function, under AWS's runtime interface client, is the SQS worker, fed real SQS events of the
 * ElasticMQ queue as the event source mapping would. S3 (S3Proxy) and the upstream (WireMock) are the
 * test servers on 127.0.0.1.
 */
class PackagedBatchIT {

    private static final Path TARGET = Path.of("target");
    private static final Duration WORKER_TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final S3TestServer s3Server = new S3TestServer();
    private static final SqsTestServer sqsServer = new SqsTestServer();
    private static final UpstreamTestServer upstreamServer = new UpstreamTestServer();
    private static WireMockServer upstream;
    private static LambdaRuntimeApi runtime;
    private static PackagedFunction function;
    private static ApiGatewayDoor door;

    @BeforeAll
    static void startTheFunction() throws Exception {
        Path taskRoot = PackagedFunction.unzip(PackagedFunction.ZIP, TARGET.resolve("function-batch-it"));
        URI s3Endpoint = s3Server.startServer();
        URI sqsEndpoint = sqsServer.startServer();
        Map<String, String> upstreamConfig = upstreamServer.start();
        upstream = upstreamServer.server();
        runtime = new LambdaRuntimeApi();

        Map<String, String> env = new HashMap<>();
        env.put("AWS_ACCESS_KEY_ID", S3TestServer.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", S3TestServer.SECRET_KEY);
        env.put("IMAGES_UPSTREAM_BASE_URL", upstreamConfig.get("images.upstream.base-url"));
        env.put("IMAGES_UPSTREAM_API_KEY", UpstreamTestServer.UPSTREAM_KEY);
        env.put("IMAGES_UPSTREAM_TIMEOUT", "5s");
        env.put("IMAGES_BUCKET", S3TestServer.BUCKET);
        env.put("IMAGES_S3_ENDPOINT", s3Endpoint.toString());
        env.put("IMAGES_S3_PATH_STYLE", "true");
        env.put("IMAGES_AUTH_KEY_HASHES", "1baf66dd75a1739b6c7b60bd7252f2f2ce2f56640b808c247d2304f77fb2ad98");
        env.put("IMAGES_BATCHES_SQS_ENDPOINT", sqsEndpoint.toString());
        env.put("IMAGES_BATCHES_QUEUE_URL", sqsServer.queueUrl());
        env.put("IMAGES_BATCHES_DEAD_LETTER_QUEUE_URL", sqsServer.deadLetterQueueUrl());
        env.put("IMAGES_BATCHES_CHECK_INTERVAL", "1s");
        function = PackagedFunction.start(taskRoot, runtime, PackagedFunction.LAMBDA_JVM_OPTIONS, env,
                TARGET.resolve("function-batch-it.log"));
        door = new ApiGatewayDoor(runtime);
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (door != null) {
            door.close();
        }
        if (function != null) {
            function.close();
        }
        if (runtime != null) {
            runtime.close();
        }
        upstreamServer.stop();
        sqsServer.stop();
        s3Server.stop();
    }

    @Test
    void officialSdk_runsABatchOfGoodAndRuleBreakingLines_throughThePackagedFunctionAndItsSqsWorker() throws Exception {
        byte[] png = TestImages.png(16, 16);
        UpstreamStubs.answerWith(upstream, List.of(png));
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(door.baseUrl() + "/v1").apiKey(Gateway.CALLER_KEY)
                .maxRetries(0).build();
        String jsonl = String.join("\n",
                line("link", "{\"model\":\"gpt-image-2\",\"prompt\":\"an otter\",\"response_format\":\"url\"}"),
                line("inline", "{\"model\":\"gpt-image-2\",\"prompt\":\"two otters\"}"),
                line("bad-size", "{\"model\":\"gpt-image-2\",\"prompt\":\"otters\",\"size\":\"7x7\"}"),
                line("bad-n", "{\"model\":\"gpt-image-2\",\"prompt\":\"otters\",\"n\":0}")) + "\n";

        Path jobFile = Files.writeString(Files.createTempFile("mixed", ".jsonl"), jsonl);
        FileObject input = client.files().create(FileCreateParams.builder().file(jobFile).purpose(FilePurpose.BATCH)
                .build());
        Batch batch = client.batches().create(BatchCreateParams.builder().inputFileId(input.id())
                .endpoint(BatchCreateParams.Endpoint.of("/v1/images/generations"))
                .completionWindow(BatchCreateParams.CompletionWindow._24H).build());
        assertThat(batch.status()).isEqualTo(Batch.Status.VALIDATING);

        SqsLambdaDriver worker = new SqsLambdaDriver(sqsServer.client(), sqsServer.queueUrl(),
                (event, context) -> {
                    LambdaRuntimeApi.Outcome outcome = runtime.invoke(event, WORKER_TIMEOUT, WORKER_TIMEOUT.plusSeconds(10));
                    assertThat(outcome.error()).as(outcome.text()).isFalse();
                    return outcome.body();
                });
        long end = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (List.of(Batch.Status.VALIDATING, Batch.Status.IN_PROGRESS, Batch.Status.FINALIZING)
                .contains(batch.status())) {
            assertThat(System.nanoTime()).as("the batch finishes within two minutes").isLessThan(end);
            for (var message : worker.receive()) {
                worker.deliver(List.of(message));
            }
            batch = client.batches().retrieve(batch.id());
        }

        assertThat(batch.status()).isEqualTo(Batch.Status.COMPLETED);
        assertThat(batch.requestCounts().orElseThrow().total()).isEqualTo(4);
        assertThat(batch.requestCounts().orElseThrow().completed()).isEqualTo(2);
        assertThat(batch.requestCounts().orElseThrow().failed()).isEqualTo(2);
        upstream.verify(2, postRequestedFor(urlEqualTo(UpstreamStubs.PATH)));

        List<JsonNode> output = lines(client, batch.outputFileId().orElseThrow());
        assertThat(output).extracting(line -> line.path("custom_id").asText()).containsExactly("link", "inline");
        JsonNode link = output.get(0).at("/response/body/data/0");
        assertThat(Gateway.download(link.path("url").asText()).body()).isEqualTo(png);
        assertThat(link.path("key").asText()).startsWith("images/");
        assertThat(output.get(1).at("/response/body/data/0/b64_json").asText()).isEqualTo(TestImages.base64(png));

        List<JsonNode> errors = lines(client, batch.errorFileId().orElseThrow());
        assertThat(errors).extracting(line -> line.path("custom_id").asText()).containsExactly("bad-size", "bad-n");
        assertThat(errors).allSatisfy(line -> assertThat(line.at("/response/status_code").asInt()).isEqualTo(400));
        // The route's own envelopes: GPT image models refuse a size as image_generation_user_error.
        assertThat(errors.get(0).at("/response/body/error/param").asText()).isEqualTo("size");
        assertThat(errors.get(0).at("/response/body/error/type").asText()).isEqualTo("image_generation_user_error");
        assertThat(errors.get(1).at("/response/body/error/param").asText()).isEqualTo("n");
        assertThat(errors.get(1).at("/response/body/error/type").asText()).isEqualTo("invalid_request_error");
    }

    private static String line(String customId, String body) {
        return "{\"custom_id\":\"" + customId + "\",\"method\":\"POST\",\"url\":\"/v1/images/generations\",\"body\":"
                + body + "}";
    }

    private static List<JsonNode> lines(OpenAIClient client, String fileId) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        try (HttpResponse content = client.files().content(fileId)) {
            for (String line : new String(content.body().readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    lines.add(JSON.readTree(line));
                }
            }
        }
        return lines;
    }
}
