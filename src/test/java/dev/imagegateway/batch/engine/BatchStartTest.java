package dev.imagegateway.batch.engine;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.imagegateway.batch.engine.BatchTestSupport.byCustomId;
import static dev.imagegateway.batch.engine.BatchTestSupport.createBatch;
import static dev.imagegateway.batch.engine.BatchTestSupport.finished;
import static dev.imagegateway.batch.engine.BatchTestSupport.inputFile;
import static dev.imagegateway.batch.engine.BatchTestSupport.line;
import static dev.imagegateway.batch.engine.BatchTestSupport.lines;
import static dev.imagegateway.batch.engine.BatchTestSupport.retrieve;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
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
import jakarta.inject.Inject;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The start message against what SQS really does to it: duplicates, redeliveries after a crash, a lost
 * check, a cancel while it validates, the input file deleted while the batch runs, and the dead-letter
 * queue after part of the lines were queued.
 */
@QuarkusTest
@TestProfile(BatchEngineProfile.class)
@WithTestResource(S3TestServer.class)
@WithTestResource(SqsTestServer.class)
@WithTestResource(UpstreamTestServer.class)
class BatchStartTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String BODY = "{\"model\":\"gpt-image-1\",\"prompt\":\"p\"}";

    @Inject
    FileStore files;

    @Inject
    GatewayKeys keys;

    @Inject
    BatchStore store;

    @InjectSqs
    SqsClient sqs;

    @InjectUpstream
    WireMockServer upstream;

    private SqsLambdaDriver queue;
    private String queueUrl;
    private String owner;

    @BeforeEach
    void emptyQueuesAndUpstream() {
        upstream.resetAll();
        queue = SqsLambdaDriver.ofQueue(sqs);
        queueUrl = sqs.getQueueUrl(q -> q.queueName(SqsTestServer.QUEUE)).queueUrl();
        SqsTestServer.purgeBoth(sqs);
        owner = keys.authenticate("Bearer " + Gateway.CALLER_KEY).owner();
    }

    @Test
    void twoStartsDeliveredAtOnce_enqueueEachLineOnce() {
        String id = createBatch(inputFile(files, owner, numbered(2_500, BODY)));
        Message start = receiveOne("start");
        Message copy = duplicate(start);

        CompletableFuture<?> first = CompletableFuture.runAsync(() -> queue.deliver(List.of(start)));
        CompletableFuture<?> second = CompletableFuture.runAsync(() -> queue.deliver(List.of(copy)));
        CompletableFuture.allOf(first, second).join();

        Map<Integer, Integer> perLine = drainLineMessages();
        assertThat(perLine).hasSize(2_500);
        assertThat(perLine.values()).containsOnly(1);
        assertThat(retrieve(id).path("status").asText()).isEqualTo("in_progress");
    }

    @Test
    void startThatDiesMidEnqueue_isResumedByItsRedelivery_whileADuplicateStartIsDropped() {
        String id = createBatch(inputFile(files, owner, numbered(2_500, BODY)));
        Message start = receiveOne("start");

        // Time for one chunk only; then the invocation dies: its own re-send is lost, the message not deleted.
        assertThat(queue.invoke(List.of(start), timeForCalls(1))).isEmpty();
        Map<Integer, Integer> perLine = new HashMap<>();
        List<Message> others = new ArrayList<>();
        drainInto(perLine, others, start.messageId());
        assertThat(others).extracting(m -> SqsLambdaDriver.hasType(m, "start")).containsOnly(true).hasSize(1);
        assertThat(perLine).hasSize(BatchStarter.CHECKPOINT_LINES);
        assertThat(store.find(owner, id).orElseThrow().record().engine().enqueued())
                .isEqualTo(BatchStarter.CHECKPOINT_LINES);

        // Another start for the batch (the SDK's retry, a duplicate) comes while the lease is the first one's.
        assertThat(queue.deliver(List.of(duplicate(start)))).isEmpty();
        Message redelivered = receiveById(start.messageId());
        assertThat(queue.deliver(List.of(redelivered))).isEmpty();

        List<Message> rest = new ArrayList<>();
        drainInto(perLine, rest, null);
        assertThat(perLine).hasSize(2_500);
        assertThat(perLine.values()).containsOnly(1);
        assertThat(rest).anyMatch(m -> SqsLambdaDriver.hasType(m, "check"));
        assertThat(store.find(owner, id).orElseThrow().record().engine().enqueued()).isEqualTo(2_500);
    }

    @Test
    void startWhoseCheckWasLost_sendsOneWhenDeliveredAgain_andTheBatchCompletes() {
        UpstreamStubs.answerWith(upstream, List.of(TestImages.png(8, 8)));
        String id = createBatch(inputFile(files, owner, line("one", BODY)));
        Message start = receiveOne("start");

        // The start enqueues its line and its check, then dies before SQS deletes it; the check is lost.
        assertThat(queue.invoke(List.of(start))).isEmpty();
        receiveEach(message -> {
            if (SqsLambdaDriver.hasType(message, "line")) {
                queue.deliver(List.of(message));
            } else if (SqsLambdaDriver.hasType(message, "check")) {
                sqs.deleteMessage(d -> d.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
            }
        });
        assertThat(queue.deliver(List.of(receiveById(start.messageId())))).isEmpty();

        queue.runUntil(() -> finished(id), TIMEOUT);
        JsonNode batch = retrieve(id);
        assertThat(batch.path("status").asText()).isEqualTo("completed");
        assertThat(batch.path("request_counts").toString()).isEqualTo("{\"total\":1,\"completed\":1,\"failed\":0}");
        upstream.verify(1, postRequestedFor(urlEqualTo(UpstreamStubs.PATH)));
    }

    @Test
    void batchCancelledWhileItsStartValidates_endsCancelled() {
        String id = createBatch(inputFile(files, owner, numbered(20_000, BODY)));
        Message start = receiveOne("start");

        CompletableFuture<?> starting = CompletableFuture.runAsync(() -> queue.deliver(List.of(start)));
        SqsLambdaDriver.pause(Duration.ofMillis(150));
        cancel(id, 200);
        starting.join();

        queue.runUntil(() -> finished(id), TIMEOUT);
        assertThat(retrieve(id).path("status").asText()).isEqualTo("cancelled");
        upstream.verify(0, postRequestedFor(urlEqualTo(UpstreamStubs.PATH)));
    }

    @Test
    void cancel_sendsItsOwnCheck_soABatchWhoseStartIsLostStillEndsCancelled() {
        String id = createBatch(inputFile(files, owner, line("one", BODY)));
        Message start = receiveOne("start");
        cancel(id, 200);
        sqs.deleteMessage(d -> d.queueUrl(queueUrl).receiptHandle(start.receiptHandle()));

        queue.runUntil(() -> finished(id), TIMEOUT);
        JsonNode batch = retrieve(id);
        assertThat(batch.path("status").asText()).isEqualTo("cancelled");
        given().header("Authorization", "Bearer " + Gateway.CALLER_KEY).when().post("/v1/batches/" + id + "/cancel")
                .then().statusCode(409).header("x-should-retry", "false");
    }

    @Test
    void inputFileDeletedWhileTheBatchRuns_changesNothing_theBatchCompletesWithItsResults() {
        UpstreamStubs.answerWith(upstream, List.of(TestImages.png(8, 8)));
        String file = inputFile(files, owner, line("a", BODY), "", line("b", "{\"prompt\":\"b\",\"colour\":\"blue\"}"),
                line("c", BODY));
        String id = createBatch(file);
        queue.runUntil(() -> retrieve(id).path("status").asText().equals("in_progress"), TIMEOUT,
                m -> SqsLambdaDriver.hasType(m, "start"));

        given().header("Authorization", "Bearer " + Gateway.CALLER_KEY).when().delete("/v1/files/" + file).then()
                .statusCode(200);
        // Line c ends in the dead-letter queue, a copy pointing past the end of the input: the worker cannot
        // read its custom_id, records it without one, and the finalizer fills it in from the input.
        Message c = receiveLineNumbered(4);
        String deadLetters = sqs.getQueueUrl(q -> q.queueName(SqsTestServer.DEAD_LETTER_QUEUE)).queueUrl();
        sqs.sendMessage(s -> s.queueUrl(deadLetters).messageBody(c.body().replaceAll("\"offset\":\\d+",
                "\"offset\":999999")));
        sqs.deleteMessage(d -> d.queueUrl(queueUrl).receiptHandle(c.receiptHandle()));
        SqsLambdaDriver dead = SqsLambdaDriver.ofDeadLetterQueue(sqs);
        assertThat(dead.deliver(dead.receive())).isEmpty();

        queue.runUntil(() -> finished(id), TIMEOUT);
        JsonNode batch = retrieve(id);
        assertThat(batch.path("status").asText()).isEqualTo("completed");
        assertThat(batch.path("request_counts").toString()).isEqualTo("{\"total\":3,\"completed\":1,\"failed\":2}");
        assertThat(byCustomId(lines(files, owner, batch.get("output_file_id")), "a").path("response")
                .path("status_code").asInt()).isEqualTo(200);
        List<JsonNode> errors = lines(files, owner, batch.get("error_file_id"));
        assertThat(byCustomId(errors, "b").path("response").path("body").path("error").path("code").asText())
                .isEqualTo("unknown_parameter");
        assertThat(byCustomId(errors, "c").path("error").path("code").asText()).isEqualTo("dead_lettered");
    }

    @Test
    void startDeadLetteredAfterPartOfItsLinesWereQueued_recordsTheRestFailed_andTheBatchCompletes() {
        // Bodies that break a rule: each line answers 400 at once, without the upstream.
        String[] input = numbered(2 * BatchStarter.CHECKPOINT_LINES + 3, "{\"prompt\":\"p\",\"colour\":\"blue\"}");
        input[0] = line("c0", "{\"prompt\":\"p\"}");
        UpstreamStubs.answerWith(upstream, List.of(TestImages.png(8, 8)));
        String id = createBatch(inputFile(files, owner, input));
        Message start = receiveOne("start");

        // One chunk is queued, then the start gives up for good: SQS's redrive moves it to the dead-letter queue.
        assertThat(queue.deliver(List.of(start), timeForCalls(1))).isEmpty();
        String deadLetters = sqs.getQueueUrl(q -> q.queueName(SqsTestServer.DEAD_LETTER_QUEUE)).queueUrl();
        sqs.sendMessage(s -> s.queueUrl(deadLetters).messageBody(start.body()));
        SqsLambdaDriver dead = SqsLambdaDriver.ofDeadLetterQueue(sqs);
        assertThat(dead.deliver(dead.receive())).isEmpty();

        // The start's own re-send, should it still come, enqueues nothing more.
        queue.runUntil(() -> finished(id), Duration.ofSeconds(180));
        JsonNode batch = retrieve(id);
        assertThat(batch.path("status").asText()).isEqualTo("completed");
        assertThat(batch.path("request_counts").toString()).isEqualTo("{\"total\":2003,\"completed\":1,\"failed\":2002}");
        List<JsonNode> errors = lines(files, owner, batch.get("error_file_id"));
        assertThat(errors).filteredOn(e -> e.path("error").path("code").asText().equals("dead_lettered"))
                .extracting(e -> e.path("custom_id").asText()).hasSize(1_003).contains("c1000", "c2002")
                .doesNotContain("c999");
        assertThat(byCustomId(lines(files, owner, batch.get("output_file_id")), "c0").path("response")
                .path("status_code").asInt()).isEqualTo(200);
    }

    private static String[] numbered(int count, String body) {
        String[] lines = new String[count];
        for (int i = 0; i < count; i++) {
            lines[i] = line("c" + i, body);
        }
        return lines;
    }

    /**
     * An invocation with 15 minutes left for the first {@code calls} looks at the clock, then with none:
     * a start that has time for that many chunks.
     */
    private static Context timeForCalls(int calls) {
        InvocationContext real = new InvocationContext(900_000);
        AtomicInteger looks = new AtomicInteger();
        return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] { Context.class },
                (proxy, method, args) -> method.getName().equals("getRemainingTimeInMillis")
                        ? (looks.incrementAndGet() <= calls ? 900_000 : 1_000)
                        : method.invoke(real, args));
    }

    private Message duplicate(Message message) {
        sqs.sendMessage(s -> s.queueUrl(queueUrl).messageBody(message.body()));
        long end = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < end) {
            for (Message received : queue.receive()) {
                if (received.body().equals(message.body()) && !received.messageId().equals(message.messageId())) {
                    return received;
                }
            }
        }
        throw new AssertionError("the copy never came");
    }

    /**
     * Receives and deletes every message but {@code keep} (until three receives in a row find none),
     * counting line messages per line; the others are kept in {@code others}.
     */
    private void drainInto(Map<Integer, Integer> perLine, List<Message> others, String keep) {
        receiveEach(message -> {
            if (message.messageId().equals(keep)) {
                return;
            }
            if (SqsLambdaDriver.hasType(message, "line")) {
                perLine.merge(lineOf(message), 1, Integer::sum);
            } else {
                others.add(message);
            }
            sqs.deleteMessage(d -> d.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
        });
    }

    private Map<Integer, Integer> drainLineMessages() {
        Map<Integer, Integer> perLine = new HashMap<>();
        drainInto(perLine, new ArrayList<>(), null);
        return perLine;
    }

    /** Hands every message to {@code each} as it is received, until three receives in a row find none. */
    private void receiveEach(java.util.function.Consumer<Message> each) {
        for (int empty = 0; empty < 3;) {
            List<Message> got = queue.receive();
            if (got.isEmpty()) {
                empty++;
            }
            got.forEach(each);
        }
    }

    private static int lineOf(Message message) {
        return Integer.parseInt(message.body().replaceAll(".*\"line\":(\\d+).*", "$1"));
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

    private Message receiveLineNumbered(int line) {
        long end = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < end) {
            for (Message message : queue.receive()) {
                if (SqsLambdaDriver.hasType(message, "line") && lineOf(message) == line) {
                    return message;
                }
            }
        }
        throw new AssertionError("no message for line " + line);
    }

    /** The same SQS message once more, as SQS redelivers it after its visibility timeout. */
    private Message receiveById(String messageId) {
        long end = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < end) {
            for (Message message : queue.receive()) {
                if (message.messageId().equals(messageId)) {
                    return message;
                }
            }
        }
        throw new AssertionError("message " + messageId + " never came again");
    }

    private static void cancel(String id, int status) {
        given().header("Authorization", "Bearer " + Gateway.CALLER_KEY).when().post("/v1/batches/" + id + "/cancel")
                .then().statusCode(status);
    }
}
