package dev.imagegateway.lambda;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.imagegateway.batch.BatchFiles;
import dev.imagegateway.testsupport.Gateway;
import dev.imagegateway.testsupport.HttpEvents;
import dev.imagegateway.testsupport.LambdaRuntimeApi;
import dev.imagegateway.testsupport.LambdaRuntimeApi.Outcome;
import dev.imagegateway.testsupport.PackagedFunction;
import dev.imagegateway.testsupport.S3TestServer;
import dev.imagegateway.testsupport.SecretsManagerStubs;
import dev.imagegateway.testsupport.SqsLambdaDriver;
import dev.imagegateway.testsupport.SqsTestServer;
import dev.imagegateway.testsupport.TestImages;
import dev.imagegateway.testsupport.UpstreamStreamStubs;
import dev.imagegateway.testsupport.UpstreamStubs;
import dev.imagegateway.testsupport.UpstreamTestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code target/function.zip} run as AWS's Java runtime runs it: unzipped as the task root, a separate
 * JVM running AWS's runtime interface client with the handler named in {@code template.yaml}, polling a
 * Lambda Runtime API served by this test; S3, the upstream and Secrets Manager are the test servers on
 * 127.0.0.1. Every file in {@code events/} is delivered and its answer checked. The first answer also
 * gives "process start to first answered invocation", written to {@code target/cold-start.json}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PackagedFunctionIT {

    /** Lambda's limit for a synchronous answer. */
    private static final int LAMBDA_RESPONSE_LIMIT = 6_291_456;
    private static final Path TARGET = Path.of("target");
    private static final Path EVENTS = Path.of("events");
    private static final String UPSTREAM_SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:image-gateway/upstream-key-AbCdEf";
    // Long enough for the batch sweep to finish a job: it only starts finishing while three S3 calls fit.
    private static final Duration FUNCTION_TIMEOUT = Duration.ofSeconds(120);
    /** A model slower than the short door allows, well within the packaged function's 5 s upstream timeout. */
    private static final int SLOW_MODEL_MILLIS = 3_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final S3TestServer s3Server = new S3TestServer();
    private static final SqsTestServer sqsServer = new SqsTestServer();
    private static final UpstreamTestServer upstreamServer = new UpstreamTestServer();
    private static WireMockServer upstream;
    private static S3Client s3;
    private static LambdaRuntimeApi runtime;
    private static PackagedFunction function;
    private static Path log;

    @BeforeAll
    static void startTheFunction() throws Exception {
        Path taskRoot = PackagedFunction.unzip(PackagedFunction.ZIP, TARGET.resolve("function-it"));
        URI s3Endpoint = s3Server.startServer();
        URI sqsEndpoint = sqsServer.startServer();
        s3 = s3Server.client();
        Map<String, String> upstreamConfig = upstreamServer.start();
        upstream = upstreamServer.server();
        SecretsManagerStubs.secret(upstream, UPSTREAM_SECRET_ARN, UpstreamTestServer.UPSTREAM_KEY);
        runtime = new LambdaRuntimeApi();

        Map<String, String> env = new HashMap<>();
        env.put("AWS_ACCESS_KEY_ID", S3TestServer.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", S3TestServer.SECRET_KEY);
        env.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", upstream.baseUrl());
        env.put("IMAGES_UPSTREAM_BASE_URL", upstreamConfig.get("images.upstream.base-url"));
        env.put("IMAGES_UPSTREAM_API_KEY_SECRET", UPSTREAM_SECRET_ARN);
        env.put("IMAGES_UPSTREAM_TIMEOUT", "5s");
        env.put("IMAGES_BUCKET", S3TestServer.BUCKET);
        env.put("IMAGES_S3_ENDPOINT", s3Endpoint.toString());
        env.put("IMAGES_S3_PATH_STYLE", "true");
        env.put("IMAGES_AUTH_KEY_HASHES", "1baf66dd75a1739b6c7b60bd7252f2f2ce2f56640b808c247d2304f77fb2ad98");
        env.put("IMAGES_BATCH_DEADLINE_MARGIN", "2s");
        env.put("IMAGES_BATCHES_SQS_ENDPOINT", sqsEndpoint.toString());
        env.put("IMAGES_BATCHES_QUEUE_URL", sqsServer.queueUrl());
        env.put("IMAGES_BATCHES_CHECK_INTERVAL", "1s");
        log = TARGET.resolve("function-it.log");
        function = PackagedFunction.start(taskRoot, runtime, PackagedFunction.LAMBDA_JVM_OPTIONS, env, log);
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (function != null) {
            function.close();
        }
        if (runtime != null) {
            runtime.close();
        }
        upstreamServer.stop();
        s3Server.stop();
        sqsServer.stop();
    }

    @Test
    @Order(0)
    void handlerNamedInTheTemplate_isAClassInTheArtifact() throws IOException {
        String handlerClass = PackagedFunction.handlerInTemplate().split("::")[0];
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(PackagedFunction.ZIP.toFile())) {
            assertThat(zip.getEntry(handlerClass.replace('.', '/') + ".class")).as(handlerClass).isNotNull();
        }
    }

    @Test
    @Order(1)
    void firstInvocation_urlEvent_answersWithALinkToTheStoredImage_andRecordsTheColdStart() throws Exception {
        byte[] png = TestImages.png(256, 256);
        UpstreamStubs.answerWith(upstream, List.of(png));

        Outcome outcome = invoke("http-url.json");

        long firstAnswerMillis = TimeUnit.NANOSECONDS.toMillis(outcome.answeredAtNanos() - function.launchedAtNanos());
        long firstPollMillis = TimeUnit.NANOSECONDS.toMillis(runtime.firstPollNanos() - function.launchedAtNanos());
        ObjectNode coldStart = JSON.createObjectNode()
                .put("process_start_to_first_answered_invocation_ms", firstAnswerMillis)
                .put("process_start_to_first_poll_ms", firstPollMillis)
                .put("event", "events/http-url.json")
                .put("jvm_options", String.join(" ", PackagedFunction.LAMBDA_JVM_OPTIONS))
                .put("java_version", System.getProperty("java.version"))
                .put("available_processors", Runtime.getRuntime().availableProcessors());
        Files.writeString(TARGET.resolve("cold-start.json"), coldStart.toPrettyString() + "\n");
        System.out.printf("Process start to first answered invocation: %d ms (first poll after %d ms)%n",
                firstAnswerMillis, firstPollMillis);

        JsonNode answer = httpAnswer(outcome);
        assertThat(answer.get("statusCode").asInt()).isEqualTo(200);
        JsonNode body = JSON.readTree(answer.get("body").asText());
        String url = body.at("/data/0/url").asText();
        assertThat(url).contains("X-Amz-Expires=3600");
        assertThat(Gateway.download(url).body()).isEqualTo(png);
        assertThat(answer.at("/headers/x-request-id").asText()).matches("[0-9a-f-]{36}");
        // The key came from Secrets Manager at start-up.
        upstream.verify(postRequestedFor(urlEqualTo(UpstreamStubs.PATH))
                .withHeader("Authorization", equalTo("Bearer " + UpstreamTestServer.UPSTREAM_KEY)));
    }

    @Test
    @Order(2)
    void b64JsonEvent_answersTheImageInline() throws Exception {
        byte[] png = TestImages.png(32, 32);
        UpstreamStubs.answerWith(upstream, List.of(png));

        JsonNode answer = httpAnswer(invoke("http-b64-json.json"));

        assertThat(answer.get("statusCode").asInt()).isEqualTo(200);
        JsonNode body = JSON.readTree(answer.get("body").asText());
        assertThat(body.at("/data/0/b64_json").asText()).isEqualTo(TestImages.base64(png));
        assertThat(body.at("/data/0/url").isMissingNode()).isTrue();
    }

    @Test
    @Order(2)
    void base64MultipartEditEvent_asApiGatewaySendsIt_isEditedAndLinked() throws Exception {
        byte[] png = TestImages.png(24, 24);
        UpstreamStubs.answerEditsWith(upstream, List.of(png));

        JsonNode answer = httpAnswer(invoke("http-edit-multipart.json"));

        assertThat(answer.get("statusCode").asInt()).as(answer.toString()).isEqualTo(200);
        String url = JSON.readTree(answer.get("body").asText()).at("/data/0/url").asText();
        assertThat(Gateway.download(url).body()).isEqualTo(png);
        var sent = upstream.findAll(com.github.tomakehurst.wiremock.client.WireMock
                .postRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo(UpstreamStubs.EDITS_PATH)));
        assertThat(sent).hasSize(1);
        assertThat(TestImages.dimensions(sent.get(0).getPart("image").getBody().asBytes())).containsExactly(16, 16);
        assertThat(sent.get(0).getPart("mask").getHeader("Content-Type").firstValue()).isEqualTo("image/png");
    }

    @Test
    @Order(3)
    void gptImageEvent_answersBase64WithUsage() throws Exception {
        UpstreamStubs.answerWith(upstream, List.of(TestImages.png(16, 16)));

        JsonNode answer = httpAnswer(invoke("http-gpt-image.json"));

        assertThat(answer.get("statusCode").asInt()).isEqualTo(200);
        JsonNode body = JSON.readTree(answer.get("body").asText());
        assertThat(body.at("/data/0/b64_json").asText()).isNotEmpty();
        assertThat(body.at("/usage/total_tokens").asInt())
                .isEqualTo(UpstreamStubs.usage().get("total_tokens").asInt());
    }

    @Test
    @Order(4)
    void invalidEvent_answers400NamingTheField_withoutCallingTheUpstream() throws Exception {
        upstream.resetRequests();

        JsonNode answer = httpAnswer(invoke("http-invalid.json"));

        assertThat(answer.get("statusCode").asInt()).isEqualTo(400);
        JsonNode error = JSON.readTree(answer.get("body").asText()).get("error");
        assertThat(error.get("param").asText()).isEqualTo("n");
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
        upstream.verify(0, postRequestedFor(urlEqualTo(UpstreamStubs.PATH)));
    }

    @Test
    @Order(5)
    void unauthenticatedEvent_answers401() throws Exception {
        JsonNode answer = httpAnswer(invoke("http-unauthenticated.json"));

        assertThat(answer.get("statusCode").asInt()).isEqualTo(401);
        // No key at all: OpenAI's answer has no code (an unknown key would be invalid_api_key).
        JsonNode error = JSON.readTree(answer.get("body").asText()).get("error");
        assertThat(error.get("code").isNull()).isTrue();
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
    }

    @Test
    @Order(6)
    void base64AnswerOverLambdasLimit_isTheGateways413_neverAnOversizedAnswer() throws Exception {
        // 5 MB of image bytes are 6.7 MB of base64.
        UpstreamStubs.answerWith(upstream, List.of(TestImages.pngSignedNoise(5_000_000, 7)));

        Outcome outcome = invoke("http-b64-json.json");

        JsonNode answer = httpAnswer(outcome);
        assertThat(answer.get("statusCode").asInt()).isEqualTo(413);
        assertThat(JSON.readTree(answer.get("body").asText()).at("/error/code").asText())
                .isEqualTo("response_too_large");
    }

    @Test
    @Order(7)
    void functionUrlStreamEvent_answersOpenAiImageEvents_asATextEventStream() throws Exception {
        byte[] partial = TestImages.png(8, 8);
        byte[] last = TestImages.png(64, 64);
        upstream.resetAll();
        SecretsManagerStubs.secret(upstream, UPSTREAM_SECRET_ARN, UpstreamTestServer.UPSTREAM_KEY);
        UpstreamStreamStubs.streamWith(upstream, List.of(partial), last);

        JsonNode answer = httpAnswer(invoke("function-url-stream.json"));

        UpstreamStreamStubs.assertPartialThenCompleted(answer, last);
        upstream.verify(postRequestedFor(urlEqualTo(UpstreamStubs.PATH))
                .withRequestBody(matchingJsonPath("$.stream", equalTo("true")))
                .withRequestBody(matchingJsonPath("$.partial_images", equalTo("1"))));
    }

    /**
     * Both doors run this handler; what differs in AWS is how long the invocation may run (29 s behind
     * the HTTP API, LongWaitTimeout behind the Function URL). The Runtime API's deadline is exactly that,
     * and the upstream call follows it: a model slower than the short door's deadline gets the gateway's
     * own 504 there, and its images through the long door.
     */
    @Test
    @Order(8)
    void slowUpstream_theShortDoorsDeadlineAnswers504_theLongWaitDoorWaitsForTheImages() throws Exception {
        byte[] png = TestImages.png(32, 32);
        upstream.resetAll();
        SecretsManagerStubs.secret(upstream, UPSTREAM_SECRET_ARN, UpstreamTestServer.UPSTREAM_KEY);
        upstream.stubFor(post(urlEqualTo(UpstreamStubs.PATH)).willReturn(UpstreamStubs.json(200,
                UpstreamStubs.imagesBody(List.of(png), false)).withFixedDelay(SLOW_MODEL_MILLIS)));
        upstream.stubFor(post(urlEqualTo(UpstreamStubs.PATH)).withRequestBody(matchingJsonPath("$.stream"))
                .willReturn(UpstreamStreamStubs.sse(UpstreamStreamStubs.stream(List.of(), png))
                        .withFixedDelay(SLOW_MODEL_MILLIS)));
        Duration shortDoor = Duration.ofMillis(SLOW_MODEL_MILLIS + 1_000); // less the 2 s kept to answer
        Duration longDoor = Duration.ofSeconds(60);

        long started = System.nanoTime();
        JsonNode viaShortDoor = httpAnswer(runtime.invoke(eventFile("http-gpt-image.json"), shortDoor, FUNCTION_TIMEOUT));
        long shortDoorMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        JsonNode viaLongDoor = httpAnswer(runtime.invoke(eventFile("http-gpt-image.json"), longDoor, FUNCTION_TIMEOUT));
        JsonNode streamViaLongDoor = httpAnswer(runtime.invoke(eventFile("function-url-stream.json"), longDoor,
                FUNCTION_TIMEOUT));

        assertThat(viaShortDoor.get("statusCode").asInt()).isEqualTo(504);
        assertThat(JSON.readTree(viaShortDoor.get("body").asText()).at("/error/code").asText())
                .isEqualTo("upstream_timeout");
        assertThat(shortDoorMillis).as("answered before the short door's deadline").isLessThan(shortDoor.toMillis());
        assertThat(viaLongDoor.get("statusCode").asInt()).isEqualTo(200);
        assertThat(JSON.readTree(viaLongDoor.get("body").asText()).at("/data/0/b64_json").asText())
                .isEqualTo(TestImages.base64(png));
        assertThat(streamViaLongDoor.get("statusCode").asInt()).isEqualTo(200);
        assertThat(UpstreamStreamStubs.read(streamViaLongDoor.get("body").asText()))
                .extracting(UpstreamStreamStubs.Event::name).containsExactly(UpstreamStreamStubs.COMPLETED);
    }

    /**
     * Raw event bytes that the HTTP layer behind the bridge refuses on its own (and that once put a key
     * in the function's log with a bare 500): each gets the gateway's 400 envelope with an id; an
     * {@code Expect: 100-continue} gets the real answer. {@link #functionLog_holdsNoKey} then reads the
     * whole log of the process.
     */
    @Test
    @Order(9)
    void malformedHeadersAndQueryStrings_get400Envelopes_andExpectContinueGetsTheAnswer() throws Exception {
        UpstreamStubs.answerWith(upstream, List.of(TestImages.png(8, 8)));
        List<HttpEvents> refused = new ArrayList<>();
        for (String control : List.of("\u007f", "\u0001", "\r", "\n", "\u0000")) {
            refused.add(HttpEvents.sample("http-b64-json.json").header("authorization",
                    "Bearer " + control + Gateway.CALLER_KEY));
        }
        refused.add(HttpEvents.sample("http-b64-json.json").header("x custom", "1"));
        refused.add(HttpEvents.sample("http-b64-json.json").query("a=%zz"));
        refused.add(HttpEvents.sample("http-b64-json.json").query("%"));

        for (HttpEvents event : refused) {
            HttpEvents.Answer answer = HttpEvents.answer(httpAnswerBytes(event.bytes()));
            assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
            assertThat(answer.json().at("/error/type").asText()).isEqualTo("invalid_request_error");
            assertThat(answer.header("x-request-id")).matches("[0-9a-f-]{36}");
        }
        HttpEvents.Answer continued = HttpEvents.answer(httpAnswerBytes(HttpEvents.sample("http-b64-json.json")
                .header("expect", "100-continue").bytes()));
        assertThat(continued.status()).as(continued.toString()).isEqualTo(200);
        assertThat(continued.json().at("/data/0/b64_json").asText()).isNotEmpty();
        assertThat(Files.readString(log)).doesNotContain(Gateway.CALLER_KEY).doesNotContain("Request Failure");
    }

    @Test
    @Order(10)
    void scheduledEvent_asEventBridgeDeliversIt_runsTheSweep_whoseBatchThePackagedWorkerRuns() throws Exception {
        UpstreamStubs.answerWith(upstream, List.of(TestImages.png(8, 8)));
        putJob("nightly", "{\"custom_id\":\"one\",\"method\":\"POST\",\"url\":\"/v1/images/generations\","
                + "\"body\":{\"prompt\":\"an otter\"}}\n{\"custom_id\":\"two\",\"body\":{}}\n");

        Outcome started = invoke("scheduled.json");

        assertThat(started.error()).as(started.text()).isFalse();
        assertThat(JSON.readTree(started.body()).get("jobs_left").get(0).asText()).isEqualTo("nightly");
        SqsLambdaDriver worker = new SqsLambdaDriver(sqsServer.client(), sqsServer.queueUrl(),
                (event, context) -> runtime.invoke(event, FUNCTION_TIMEOUT, FUNCTION_TIMEOUT).body());
        long end = System.nanoTime() + FUNCTION_TIMEOUT.toNanos();
        JsonNode report = JSON.createObjectNode();
        while (!report.path("jobs_finished").toString().contains("nightly")) {
            assertThat(System.nanoTime()).as("the job's batch did not finish in time").isLessThan(end);
            List<software.amazon.awssdk.services.sqs.model.Message> messages = worker.receive();
            if (!messages.isEmpty()) {
                worker.deliver(messages);
            }
            report = JSON.readTree(invoke("scheduled.json").body());
        }
        assertThat(report.get("lines_answered").asInt()).isEqualTo(2);
        String results = s3.getObjectAsBytes(get -> get.bucket(S3TestServer.BUCKET)
                .key(BatchFiles.RESULTS + "nightly.jsonl")).asUtf8String();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : results.split("\n")) {
            lines.add(JSON.readTree(line));
        }
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).at("/response/status_code").asInt()).isEqualTo(200);
        assertThat(lines.get(0).at("/response/body/data/0/key").asText()).startsWith("images/");
        assertThat(lines.get(1).at("/error/code").asText()).isEqualTo("invalid_line");
    }

    @Test
    @Order(11)
    void batchIsUnreachableFromHttp_anApiGatewayRouteOrAFunctionUrlCarryingAScheduledEvent_getsNoSweep()
            throws Exception {
        putJob("untouchable", "{\"custom_id\":\"x\",\"method\":\"POST\",\"url\":\"/v1/images/generations\","
                + "\"body\":{\"prompt\":\"an otter\"}}\n");
        upstream.resetRequests();

        for (String event : List.of("api-gateway-scheduled-body.json", "function-url-scheduled-body.json")) {
            Outcome outcome = runtime.invoke(testEvent(event), FUNCTION_TIMEOUT, FUNCTION_TIMEOUT);
            JsonNode answer = httpAnswer(outcome);
            assertThat(answer.get("statusCode").asInt()).as(event).isIn(401, 404, 405);
            assertThat(answer.has("jobs_finished")).isFalse();
        }

        upstream.verify(0, postRequestedFor(urlEqualTo(UpstreamStubs.PATH)));
        assertThat(s3.listObjectsV2(list -> list.bucket(S3TestServer.BUCKET).prefix(BatchFiles.PENDING)).contents())
                .extracting(object -> object.key()).contains(BatchFiles.PENDING + "untouchable.jsonl");
    }

    @Test
    @Order(12)
    void unrecognisedEvent_failsTheInvocation() throws Exception {
        Outcome outcome = runtime.invoke("{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8), FUNCTION_TIMEOUT,
                FUNCTION_TIMEOUT);

        assertThat(outcome.error()).isTrue();
        assertThat(outcome.text()).contains("Unrecognised event");
    }

    @Test
    @Order(13)
    void everyEventFile_isDelivered_andNoAnswerExceedsLambdasLimit() throws Exception {
        UpstreamStubs.answerWith(upstream, List.of(TestImages.png(64, 64)));
        UpstreamStubs.answerEditsWith(upstream, List.of(TestImages.png(64, 64)));
        List<Path> events;
        try (Stream<Path> files = Files.list(EVENTS)) {
            events = files.filter(file -> file.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(events).extracting(file -> file.getFileName().toString()).containsExactlyInAnyOrder(
                "http-url.json", "http-b64-json.json", "http-gpt-image.json", "http-invalid.json",
                "http-unauthenticated.json", "scheduled.json", "function-url-stream.json", "http-edit-multipart.json");
        for (Path event : events) {
            Outcome outcome = runtime.invoke(Files.readAllBytes(event), FUNCTION_TIMEOUT, FUNCTION_TIMEOUT);
            assertThat(outcome.error()).as(event + ": " + outcome.text()).isFalse();
            assertThat(outcome.body().length).as(event.toString()).isLessThan(LAMBDA_RESPONSE_LIMIT);
        }
    }

    @Test
    @Order(14)
    void functionLog_holdsNoKey() throws Exception {
        String text = Files.readString(log);
        assertThat(text).contains("Job nightly finished");
        assertThat(text).doesNotContain(UpstreamTestServer.UPSTREAM_KEY).doesNotContain(Gateway.CALLER_KEY)
                .doesNotContain("X-Amz-Signature=");
    }

    @Test
    @Order(15)
    void scheduledEvent_whenTheBucketIsGone_failsTheInvocationLoudly() throws Exception {
        s3Server.stop();

        Outcome outcome = invoke("scheduled.json");

        assertThat(outcome.error()).as("a failed sweep must be a failed invocation, not a success").isTrue();
        assertThat(outcome.text()).contains("batch files");
    }

    private static Outcome invoke(String eventFile) throws Exception {
        Outcome outcome = runtime.invoke(Files.readAllBytes(EVENTS.resolve(eventFile)), FUNCTION_TIMEOUT,
                FUNCTION_TIMEOUT);
        assertThat(outcome.body().length).as(eventFile).isLessThan(LAMBDA_RESPONSE_LIMIT);
        return outcome;
    }

    private static byte[] eventFile(String name) throws IOException {
        return Files.readAllBytes(EVENTS.resolve(name));
    }

    private static byte[] httpAnswerBytes(byte[] event) throws Exception {
        Outcome outcome = runtime.invoke(event, FUNCTION_TIMEOUT, FUNCTION_TIMEOUT);
        assertThat(outcome.error()).as(outcome.text()).isFalse();
        return outcome.body();
    }

    private static JsonNode httpAnswer(Outcome outcome) throws IOException {
        assertThat(outcome.error()).as(outcome.text()).isFalse();
        return JSON.readTree(outcome.body());
    }

    private static byte[] testEvent(String name) throws IOException {
        try (InputStream in = PackagedFunctionIT.class.getResourceAsStream("/events/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    private static void putJob(String jobId, String jsonl) {
        s3.putObject(put -> put.bucket(S3TestServer.BUCKET).key(BatchFiles.PENDING + jobId + ".jsonl"),
                RequestBody.fromString(jsonl));
    }
}
