package dev.imagegateway.batch.engine;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.imagegateway.batch.engine.BatchTestSupport.byCustomId;
import static dev.imagegateway.batch.engine.BatchTestSupport.create;
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
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.imagegateway.api.GatewayKeys;
import dev.imagegateway.files.FileStore;
import dev.imagegateway.lambda.LambdaEntry;
import dev.imagegateway.testsupport.Gateway;
import dev.imagegateway.testsupport.HttpEvents;
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
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** The Batch API end to end: the routes through the Lambda HTTP handler, the worker through real SQS events. */
@QuarkusTest
@TestProfile(BatchEngineProfile.class)
@WithTestResource(S3TestServer.class)
@WithTestResource(SqsTestServer.class)
@WithTestResource(UpstreamTestServer.class)
class BatchApiTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(40);

    @Inject
    FileStore files;

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
        SqsTestServer.purgeBoth(sqs);
        owner = keys.authenticate("Bearer " + Gateway.CALLER_KEY).owner();
    }

    @Test
    void batchOfGoodAndRuleBreakingLines_completes_withOutputAndErrorFiles_countsUsageAndTimestamps() {
        UpstreamStubs.answerWith(upstream, List.of(TestImages.png(8, 8)));
        String file = inputFile(files, owner,
                line("otter-url", "{\"model\":\"dall-e-2\",\"prompt\":\"an otter\",\"size\":\"256x256\"}"),
                line("otter-b64", "{\"model\":\"gpt-image-1\",\"prompt\":\"an otter\"}"),
                line("unknown-field", "{\"prompt\":\"an otter\",\"colour\":\"blue\"}"));

        String id = createBatch(file);
        JsonNode created = retrieve(id);
        assertThat(created.path("status").asText()).isEqualTo("validating");
        assertThat(created.path("object").asText()).isEqualTo("batch");
        assertThat(created.has("output_file_id") && created.get("output_file_id").isNull()).isTrue();
        assertThat(created.get("errors").isNull()).isTrue();
        assertThat(created.path("metadata").path("run").asText()).isEqualTo("test");
        assertThat(created.path("expires_at").asLong() - created.path("created_at").asLong()).isEqualTo(86_400);

        queue.runUntil(() -> finished(id), TIMEOUT);

        JsonNode batch = retrieve(id);
        assertThat(batch.path("status").asText()).isEqualTo("completed");
        assertThat(batch.path("request_counts").toString()).isEqualTo("{\"total\":3,\"completed\":2,\"failed\":1}");
        long createdAt = batch.path("created_at").asLong();
        for (String field : List.of("in_progress_at", "finalizing_at", "completed_at")) {
            assertThat(batch.path(field).asLong()).as(field).isGreaterThanOrEqualTo(createdAt);
        }
        assertThat(batch.get("failed_at").isNull()).isTrue();
        upstream.verify(2, postRequestedFor(urlEqualTo(UpstreamStubs.PATH)));

        List<JsonNode> output = lines(files, owner, batch.get("output_file_id"));
        assertThat(output).hasSize(2);
        JsonNode url = byCustomId(output, "otter-url");
        assertThat(url.path("id").asText()).startsWith("batch_req_");
        assertThat(url.path("response").path("status_code").asInt()).isEqualTo(200);
        assertThat(url.get("error").isNull()).isTrue();
        JsonNode item = url.path("response").path("body").path("data").get(0);
        assertThat(item.path("key").asText()).startsWith("images/");
        // Signed for images.batches.output-url-ttl, 24 hours by default, when the output was assembled.
        assertThat(item.path("url").asText()).contains("X-Amz-Expires=86400");
        HttpResponse<byte[]> image = Gateway.download(item.path("url").asText());
        assertThat(image.statusCode()).isEqualTo(200);
        assertThat(image.body()).isEqualTo(TestImages.png(8, 8));
        JsonNode b64 = byCustomId(output, "otter-b64").path("response").path("body").path("data").get(0);
        assertThat(b64.path("b64_json").asText()).isEqualTo(TestImages.base64(TestImages.png(8, 8)));

        List<JsonNode> errors = lines(files, owner, batch.get("error_file_id"));
        assertThat(errors).hasSize(1);
        JsonNode refused = byCustomId(errors, "unknown-field").path("response");
        assertThat(refused.path("status_code").asInt()).isEqualTo(400);
        assertThat(refused.path("body").path("error").path("code").asText()).isEqualTo("unknown_parameter");
        assertThat(refused.path("body").path("error").path("param").asText()).isEqualTo("colour");

        long tokens = UpstreamStubs.usage().path("total_tokens").asLong();
        assertThat(batch.path("usage").path("total_tokens").asLong()).isEqualTo(2 * tokens);
        assertThat(files.find(owner, batch.path("output_file_id").asText()).orElseThrow().purpose())
                .isEqualTo("batch_output");
    }

    @Test
    void b64AnswerOverLambdas6MB_isALineOfTheOutputFile_notA413_asThe413SaysItWouldBe() {
        byte[] big = TestImages.pngSignedNoise(5_000_000, 11); // 6.7 MB as base64: a 413 response_too_large live
        UpstreamStubs.answerWith(upstream, List.of(big));
        String id = createBatch(inputFile(files, owner, line("large", "{\"model\":\"gpt-image-1\",\"prompt\":\"a\"}")));

        queue.runUntil(() -> finished(id), TIMEOUT);

        JsonNode batch = retrieve(id);
        assertThat(batch.path("status").asText()).isEqualTo("completed");
        assertThat(batch.path("request_counts").toString()).isEqualTo("{\"total\":1,\"completed\":1,\"failed\":0}");
        JsonNode line = byCustomId(lines(files, owner, batch.get("output_file_id")), "large");
        assertThat(line.path("response").path("status_code").asInt()).isEqualTo(200);
        assertThat(line.at("/response/body/data/0/b64_json").asText()).isEqualTo(TestImages.base64(big));
    }

    @Test
    void inputFileWithInvalidLines_failsTheBatch_listingEachProblemWithItsLine_andRunsNothing() {
        UpstreamStubs.answerWith(upstream, List.of(TestImages.png(8, 8)));
        String file = inputFile(files, owner,
                "{not json",
                "{\"method\":\"POST\",\"url\":\"/v1/images/generations\",\"body\":{\"prompt\":\"no id\"}}",
                line("twice", "{\"prompt\":\"a\"}"),
                line("twice", "{\"prompt\":\"b\"}"),
                "{\"custom_id\":\"get\",\"method\":\"GET\",\"url\":\"/v1/images/generations\",\"body\":{}}",
                "{\"custom_id\":\"chat\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{}}",
                line("streamed", "{\"prompt\":\"a\",\"stream\":true}"));

        String id = createBatch(file);
        queue.runUntil(() -> finished(id), TIMEOUT);

        JsonNode batch = retrieve(id);
        assertThat(batch.path("status").asText()).isEqualTo("failed");
        assertThat(batch.path("failed_at").isNumber()).isTrue();
        assertThat(batch.path("errors").path("object").asText()).isEqualTo("list");
        List<String> found = new ArrayList<>();
        batch.path("errors").path("data").forEach(e -> {
            found.add(e.path("line").asInt() + ":" + e.path("code").asText() + ":" + e.get("param"));
            assertThat(e.path("message").asText()).as("message of line %s", e.path("line")).isNotBlank();
        });
        assertThat(found).containsExactly("1:invalid_json_line:null", "2:missing_required_parameter:\"custom_id\"",
                "4:duplicate_custom_id:\"custom_id\"", "5:invalid_method:\"method\"", "6:invalid_url:\"url\"",
                "7:invalid_request:\"body.stream\"");
        upstream.verify(0, postRequestedFor(urlEqualTo(UpstreamStubs.PATH)));
    }

    @Test
    void lineDeliveredAgainAfterItsResultWasWritten_neverCallsTheUpstreamTwice() {
        UpstreamStubs.answerWith(upstream, List.of(TestImages.png(8, 8)));
        String id = createBatch(inputFile(files, owner, line("once", "{\"model\":\"gpt-image-1\",\"prompt\":\"a\"}")));
        queue.runUntil(() -> retrieve(id).path("status").asText().equals("in_progress"), TIMEOUT,
                m -> SqsLambdaDriver.hasType(m, "start"));
        Message lineMessage = receiveOne("line");

        // The worker does the line and dies before Lambda deletes the message: SQS delivers it again.
        assertThat(queue.invoke(List.of(lineMessage))).isEmpty();
        queue.runUntil(() -> finished(id), TIMEOUT);

        upstream.verify(1, postRequestedFor(urlEqualTo(UpstreamStubs.PATH)));
        assertThat(retrieve(id).path("request_counts").path("completed").asInt()).isEqualTo(1);
    }

    @Test
    void lineReceivedTooCloseToTheDeadline_isNotStarted_isSentAgainWithoutCountingAnAttempt_andRunsLater() {
        UpstreamStubs.answerWith(upstream, List.of(TestImages.png(8, 8)));
        String id = createBatch(inputFile(files, owner, line("late", "{\"model\":\"gpt-image-1\",\"prompt\":\"a\"}")));
        queue.runUntil(() -> retrieve(id).path("status").asText().equals("in_progress"), TIMEOUT,
                m -> SqsLambdaDriver.hasType(m, "start"));
        Message lineMessage = receiveOne("line");

        // 5 s left: less than the upstream timeout (3 s), the storage reserve (2 s) and the margins.
        assertThat(queue.deliver(List.of(lineMessage), new InvocationContext(5_000))).isEmpty();
        upstream.verify(0, postRequestedFor(urlEqualTo(UpstreamStubs.PATH)));
        Message again = receiveOne("line");
        assertThat(again.body()).contains("\"prior_attempts\":0");
        queue.deliver(List.of(again));
        queue.runUntil(() -> finished(id), TIMEOUT);

        upstream.verify(1, postRequestedFor(urlEqualTo(UpstreamStubs.PATH)));
        assertThat(retrieve(id).path("request_counts").path("completed").asInt()).isEqualTo(1);
    }

    @Test
    void fiftyThousandLines_areValidatedAndEnqueuedByOneStart() {
        String[] many = new String[50_000];
        for (int i = 0; i < many.length; i++) {
            many[i] = line("line-" + i, "{\"prompt\":\"an otter number " + i + "\"}");
        }
        String id = createBatch(inputFile(files, owner, many));
        Message start = receiveOne("start");

        // How long it takes is the benchmark's to measure (BatchEngineBenchmark); here only that it is done.
        assertThat(queue.deliver(List.of(start), new InvocationContext(900_000))).isEmpty();

        JsonNode batch = retrieve(id);
        assertThat(batch.path("status").asText()).isEqualTo("in_progress");
        assertThat(batch.path("request_counts").path("total").asInt()).isEqualTo(50_000);
        String url = sqs.getQueueUrl(q -> q.queueName(SqsTestServer.QUEUE)).queueUrl();
        var attributes = sqs.getQueueAttributes(a -> a.queueUrl(url).attributeNames(
                software.amazon.awssdk.services.sqs.model.QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                software.amazon.awssdk.services.sqs.model.QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
                .attributesAsStrings();
        // 50,000 lines and the first check (delayed).
        assertThat(attributes.values().stream().mapToInt(Integer::parseInt).sum()).isEqualTo(50_001);
        sqs.purgeQueue(p -> p.queueUrl(url));
        cancel(Gateway.CALLER_KEY, id, 200);
    }

    @Test
    void retrySafeFailures_goBackToTheQueueUntilTheySucceed_butABilledFailureIsRecordedAtOnce() {
        upstream.stubFor(post(urlEqualTo(UpstreamStubs.PATH)).withRequestBody(containing("flaky"))
                .inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(UpstreamStubs.json(503, UpstreamStubs.error("server-error"))).willSetStateTo("once"));
        upstream.stubFor(post(urlEqualTo(UpstreamStubs.PATH)).withRequestBody(containing("flaky"))
                .inScenario("flaky").whenScenarioStateIs("once")
                .willReturn(UpstreamStubs.json(503, UpstreamStubs.error("server-error"))).willSetStateTo("twice"));
        upstream.stubFor(post(urlEqualTo(UpstreamStubs.PATH)).withRequestBody(containing("flaky"))
                .inScenario("flaky").whenScenarioStateIs("twice")
                .willReturn(UpstreamStubs.json(200, UpstreamStubs.imagesBody(List.of(TestImages.png(8, 8)), false))));
        upstream.stubFor(post(urlEqualTo(UpstreamStubs.PATH)).withRequestBody(containing("billed"))
                .willReturn(UpstreamStubs.json(500, UpstreamStubs.error("server-error"))));
        upstream.stubFor(post(urlEqualTo(UpstreamStubs.PATH)).withRequestBody(containing("fine"))
                .willReturn(UpstreamStubs.json(200, UpstreamStubs.imagesBody(List.of(TestImages.png(8, 8)), false))));
        String id = createBatch(inputFile(files, owner,
                line("flaky", "{\"model\":\"gpt-image-1\",\"prompt\":\"flaky\"}"),
                line("billed", "{\"model\":\"gpt-image-1\",\"prompt\":\"billed\"}"),
                line("fine", "{\"model\":\"gpt-image-1\",\"prompt\":\"fine\"}")));

        queue.runUntil(() -> finished(id), TIMEOUT);

        JsonNode batch = retrieve(id);
        assertThat(batch.path("status").asText()).isEqualTo("completed");
        assertThat(batch.path("request_counts").toString()).isEqualTo("{\"total\":3,\"completed\":2,\"failed\":1}");
        upstream.verify(3, postRequestedFor(urlEqualTo(UpstreamStubs.PATH)).withRequestBody(containing("flaky")));
        upstream.verify(1, postRequestedFor(urlEqualTo(UpstreamStubs.PATH)).withRequestBody(containing("billed")));
        JsonNode billed = byCustomId(lines(files, owner, batch.get("error_file_id")), "billed").path("response");
        assertThat(billed.path("status_code").asInt()).isEqualTo(502);
        assertThat(billed.path("body").path("error").path("code").asText()).isEqualTo("upstream_unavailable");
    }

    @Test
    void retrySafeFailureThatNeverEnds_isRecordedFailedAfterMaxAttempts() {
        UpstreamStubs.answerWith(upstream, 503, UpstreamStubs.error("server-error"));
        String id = createBatch(inputFile(files, owner, line("down", "{\"model\":\"gpt-image-1\",\"prompt\":\"a\"}")));

        queue.runUntil(() -> finished(id), TIMEOUT);

        JsonNode batch = retrieve(id);
        assertThat(batch.path("request_counts").toString()).isEqualTo("{\"total\":1,\"completed\":0,\"failed\":1}");
        upstream.verify(3, postRequestedFor(urlEqualTo(UpstreamStubs.PATH)));
        assertThat(batch.get("output_file_id").isNull()).isTrue();
    }

    @Test
    void cancelMidRun_endsCancelled_deliversTheDoneLine_andRunsNoOther() {
        UpstreamStubs.answerWith(upstream, List.of(TestImages.png(8, 8)));
        String id = createBatch(inputFile(files, owner,
                line("a", "{\"model\":\"gpt-image-1\",\"prompt\":\"a\"}"),
                line("b", "{\"model\":\"gpt-image-1\",\"prompt\":\"b\"}"),
                line("c", "{\"model\":\"gpt-image-1\",\"prompt\":\"c\"}")));
        queue.runUntil(() -> retrieve(id).path("status").asText().equals("in_progress"), TIMEOUT,
                m -> SqsLambdaDriver.hasType(m, "start"));
        queue.deliver(List.of(receiveOne("line")));

        JsonNode cancelling = cancel(Gateway.CALLER_KEY, id, 200);
        assertThat(cancelling.path("status").asText()).isEqualTo("cancelling");
        assertThat(cancelling.path("cancelling_at").isNumber()).isTrue();
        queue.runUntil(() -> finished(id), TIMEOUT);

        JsonNode batch = retrieve(id);
        assertThat(batch.path("status").asText()).isEqualTo("cancelled");
        assertThat(batch.path("cancelled_at").isNumber()).isTrue();
        upstream.verify(1, postRequestedFor(urlEqualTo(UpstreamStubs.PATH)));
        assertThat(lines(files, owner, batch.get("output_file_id"))).hasSize(1);
        List<JsonNode> errors = lines(files, owner, batch.get("error_file_id"));
        assertThat(errors).hasSize(2).allSatisfy(e -> assertThat(e.path("error").path("code").asText())
                .isEqualTo("batch_cancelled"));
        JsonNode again = cancel(Gateway.CALLER_KEY, id, 409);
        assertThat(again.path("error").path("message").asText()).isEqualTo("Cannot cancel a batch with status 'cancelled'.");
    }

    @Test
    void lineFromTheDeadLetterQueue_isRecordedFailedWithoutAnUpstreamCall_andTheBatchFinishes() {
        deadLetterTheOnlyLine(body -> body);
    }

    @Test
    void deadLetteredLineWhoseInputCannotBeRead_stillHasItsCustomIdInTheErrorFile() {
        // The worker reads one byte of the line ("{"), which is not JSON: it records the line without its
        // custom_id, and the finalizer, which streams the whole input, fills it in. Without that, the error
        // file had a line OpenAI's never has, and a scheduled job's results stalled behind it.
        deadLetterTheOnlyLine(body -> {
            String cut = body.replaceFirst("\"length\":\\d+", "\"length\":1");
            assertThat(cut).isNotEqualTo(body);
            return cut;
        });
    }

    private void deadLetterTheOnlyLine(UnaryOperator<String> redriven) {
        UpstreamStubs.answerWith(upstream, List.of(TestImages.png(8, 8)));
        String id = createBatch(inputFile(files, owner, line("lost", "{\"model\":\"gpt-image-1\",\"prompt\":\"a\"}")));
        queue.runUntil(() -> retrieve(id).path("status").asText().equals("in_progress"), TIMEOUT,
                m -> SqsLambdaDriver.hasType(m, "start"));
        // What SQS's redrive does after maxReceiveCount receives: the message moves to the dead-letter queue.
        Message lineMessage = receiveOne("line");
        String body = redriven.apply(lineMessage.body());
        String dlq = sqs.getQueueUrl(q -> q.queueName(SqsTestServer.DEAD_LETTER_QUEUE)).queueUrl();
        sqs.sendMessage(s -> s.queueUrl(dlq).messageBody(body));
        sqs.deleteMessage(d -> d.queueUrl(sqs.getQueueUrl(q -> q.queueName(SqsTestServer.QUEUE)).queueUrl())
                .receiptHandle(lineMessage.receiptHandle()));
        SqsLambdaDriver deadLetters = SqsLambdaDriver.ofDeadLetterQueue(sqs);
        assertThat(deadLetters.deliver(deadLetters.receive())).isEmpty();

        queue.runUntil(() -> finished(id), TIMEOUT);

        JsonNode batch = retrieve(id);
        assertThat(batch.path("status").asText()).isEqualTo("completed");
        assertThat(batch.path("request_counts").toString()).isEqualTo("{\"total\":1,\"completed\":0,\"failed\":1}");
        JsonNode error = lines(files, owner, batch.get("error_file_id")).get(0);
        assertThat(error.path("custom_id").asText()).isEqualTo("lost");
        assertThat(error.path("error").path("code").asText()).isEqualTo("dead_lettered");
        upstream.verify(0, postRequestedFor(urlEqualTo(UpstreamStubs.PATH)));
    }

    @Test
    void twoChecksAtOnce_finalizeTheBatchOnce_withOneOutputFile() throws Exception {
        UpstreamStubs.answerWith(upstream, List.of(TestImages.png(8, 8)));
        String id = createBatch(inputFile(files, owner,
                line("a", "{\"model\":\"gpt-image-1\",\"prompt\":\"a\"}"),
                line("b", "{\"model\":\"gpt-image-1\",\"prompt\":\"b\"}")));
        List<Message> checks = new ArrayList<>();
        queue.runUntil(() -> checks.size() >= 2, TIMEOUT, m -> {
            if (SqsLambdaDriver.hasType(m, "check")) {
                checks.add(m);
                // A second copy of the same check, as a redelivery or a second chain would bring.
                sqs.sendMessage(s -> s.queueUrl(sqs.getQueueUrl(q -> q.queueName(SqsTestServer.QUEUE)).queueUrl())
                        .messageBody(m.body()));
                return false;
            }
            return true;
        });
        assertThat(files.list(owner).stream().filter(f -> f.filename().startsWith(id))).isEmpty();

        CompletableFuture<?> first = CompletableFuture.runAsync(() -> queue.deliver(List.of(checks.get(0))));
        CompletableFuture<?> second = CompletableFuture.runAsync(() -> queue.deliver(List.of(checks.get(1))));
        CompletableFuture.allOf(first, second).get();

        JsonNode batch = retrieve(id);
        assertThat(batch.path("status").asText()).isEqualTo("completed");
        assertThat(files.list(owner).stream().filter(f -> f.filename().startsWith(id)).map(f -> f.id()))
                .containsExactly(batch.path("output_file_id").asText());
        assertThat(lines(files, owner, batch.get("output_file_id"))).hasSize(2);
    }

    @Test
    void anotherKey_getsNotFound_andAnEmptyList() {
        String id = createBatch(inputFile(files, owner, line("a", "{\"prompt\":\"a\"}")));

        JsonNode missing = retrieve(BatchEngineProfile.OTHER_KEY, id, 404);
        assertThat(missing.path("error").path("message").asText()).contains(id);
        cancel(BatchEngineProfile.OTHER_KEY, id, 404);
        given().header("Authorization", "Bearer " + BatchEngineProfile.OTHER_KEY).when().get("/v1/batches").then()
                .statusCode(200).body("object", org.hamcrest.Matchers.equalTo("list"))
                .body("data", org.hamcrest.Matchers.empty()).body("has_more", org.hamcrest.Matchers.equalTo(false));
        given().header("Authorization", "Bearer " + Gateway.CALLER_KEY).when().get("/v1/batches?limit=1").then()
                .statusCode(200).body("data[0].id", org.hamcrest.Matchers.equalTo(id))
                .body("first_id", org.hamcrest.Matchers.equalTo(id));
    }

    @Test
    void listPages_newestFirst_withHasMoreAndAfter() {
        String file = inputFile(files, owner, line("a", "{\"prompt\":\"a\"}"));
        String older = createBatch(file);
        String newer = createBatch(file);

        given().header("Authorization", "Bearer " + Gateway.CALLER_KEY).when().get("/v1/batches?limit=1").then()
                .statusCode(200).body("data.id", org.hamcrest.Matchers.contains(newer))
                .body("has_more", org.hamcrest.Matchers.equalTo(true)).body("last_id", org.hamcrest.Matchers.equalTo(newer));
        given().header("Authorization", "Bearer " + Gateway.CALLER_KEY).when().get("/v1/batches?limit=1&after=" + newer)
                .then().statusCode(200).body("data.id", org.hamcrest.Matchers.contains(older));
    }

    @Test
    void listWithALimitOpenAiRefuses_is400WithItsCode_andAnEmptyLimitIsTheDefault() throws java.io.IOException {
        String file = inputFile(files, owner, line("a", "{\"prompt\":\"a\"}"));
        // More than twenty: a page of twenty batches is over RESTEasy's default 8 KB buffer. Sent chunked, its
        // Lambda answer carried Transfer-Encoding, and this client waited for chunks until its read timed out.
        for (int i = 0; i < 21; i++) {
            createBatch(file);
        }

        for (String[] refused : new String[][] { { "0", "integer_below_min_value" }, { "101", "integer_above_max_value" },
                { "abc", "invalid_type" } }) {
            given().header("Authorization", "Bearer " + Gateway.CALLER_KEY).when().get("/v1/batches?limit=" + refused[0])
                    .then().statusCode(400).body("error.type", org.hamcrest.Matchers.equalTo("invalid_request_error"))
                    .body("error.param", org.hamcrest.Matchers.equalTo("limit"))
                    .body("error.code", org.hamcrest.Matchers.equalTo(refused[1]));
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        LambdaEntry.dispatch(HttpEvents.sample("http-url.json").method("GET").path("/v1/batches").query("limit=")
                .body("").header("authorization", "Bearer " + Gateway.CALLER_KEY).bytes(), output, new InvocationContext());
        HttpEvents.Answer page = HttpEvents.answer(output.toByteArray());
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        assertThat(page.header("transfer-encoding")).as("the function's answer carries its body whole").isNull();
        assertThat(page.header("content-length"))
                .isEqualTo(Integer.toString(page.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length));
        assertThat(page.json().path("data").size()).isEqualTo(20);
        assertThat(page.json().path("has_more").asBoolean()).isTrue();
        given().header("Authorization", "Bearer " + Gateway.CALLER_KEY).when().get("/v1/batches?limit=100").then()
                .statusCode(200).body("data.size()", org.hamcrest.Matchers.greaterThanOrEqualTo(22));
    }

    @Test
    void createRequestsThatBreakARule_getOpenAisErrors_andNoBatch() {
        String file = inputFile(files, owner, line("a", "{\"prompt\":\"a\"}"));
        String other = files.create(owner, "assistants", "x.txt", new byte[] { 1 }, null).id();
        create(Gateway.CALLER_KEY, "{\"input_file_id\":\"" + file + "\",\"endpoint\":\"/v1/chat/completions\","
                + "\"completion_window\":\"24h\"}").then().statusCode(400).body("error.param",
                        org.hamcrest.Matchers.equalTo("endpoint"));
        create(Gateway.CALLER_KEY, "{\"input_file_id\":\"" + file + "\",\"endpoint\":\"/v1/images/generations\","
                + "\"completion_window\":\"48h\"}").then().statusCode(400).body("error.param",
                        org.hamcrest.Matchers.equalTo("completion_window"));
        create(Gateway.CALLER_KEY, "{\"input_file_id\":\"" + other + "\",\"endpoint\":\"/v1/images/generations\","
                + "\"completion_window\":\"24h\"}").then().statusCode(400).body("error.param",
                        org.hamcrest.Matchers.equalTo("input_file_id"));
        create(Gateway.CALLER_KEY, "{\"input_file_id\":\"file-nope\",\"endpoint\":\"/v1/images/generations\","
                + "\"completion_window\":\"24h\"}").then().statusCode(404).body("error.param",
                        org.hamcrest.Matchers.equalTo("input_file_id"));
        StringBuilder metadata = new StringBuilder("{");
        for (int i = 0; i < 17; i++) {
            metadata.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
        }
        create(Gateway.CALLER_KEY, "{\"input_file_id\":\"" + file + "\",\"endpoint\":\"/v1/images/generations\","
                + "\"completion_window\":\"24h\",\"metadata\":" + metadata + "}}").then().statusCode(400)
                .body("error.param", org.hamcrest.Matchers.equalTo("metadata"));
        create(Gateway.CALLER_KEY, "{\"endpoint\":\"/v1/images/generations\",\"completion_window\":\"24h\"}").then()
                .statusCode(400).body("error.code", org.hamcrest.Matchers.equalTo("missing_required_parameter"));
    }

    private Message receiveOne(String type) {
        long end = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < end) {
            for (Message message : queue.receive()) {
                if (SqsLambdaDriver.hasType(message, type)) {
                    return message;
                }
            }
        }
        throw new AssertionError("no " + type + " message");
    }

    private static JsonNode cancel(String key, String id, int status) {
        try {
            return BatchTestSupport.JSON.readTree(given().header("Authorization", "Bearer " + key).when()
                    .post("/v1/batches/" + id + "/cancel").then().statusCode(status).extract().asByteArray());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

}
