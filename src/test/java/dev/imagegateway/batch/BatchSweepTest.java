package dev.imagegateway.batch;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.imagegateway.batch.engine.BatchEngineProfile;
import dev.imagegateway.batch.engine.BatchRequests;
import dev.imagegateway.batch.engine.BatchStatus;
import dev.imagegateway.batch.engine.BatchStore;
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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The scheduled sweep against the real test bucket, queue and upstream: jobs become batches on the
 * engine, whose worker the test drives with real SQS events through the Lambda handler, and the sweep's
 * deadline is under the test's control.
 */
@QuarkusTest
@TestProfile(BatchEngineProfile.class)
@WithTestResource(S3TestServer.class)
@WithTestResource(SqsTestServer.class)
@WithTestResource(UpstreamTestServer.class)
class BatchSweepTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RemainingTime PLENTY_OF_TIME = () -> 600_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(40);

    @Inject
    BatchSweep sweep;

    @Inject
    BatchStore batches;

    @Inject
    BatchRequests requests;

    @InjectUpstream
    WireMockServer upstream;

    @InjectS3
    S3Client s3;

    @InjectSqs
    SqsClient sqs;

    private SqsLambdaDriver queue;
    private String queueUrl;

    @BeforeEach
    void emptyBatchesQueueAndUpstream() {
        upstream.resetAll();
        for (String prefix : List.of("batches/", "files/" + BatchSweep.OWNER + "/")) {
            for (S3Object object : s3.listObjectsV2Paginator(list -> list.bucket(S3TestServer.BUCKET).prefix(prefix))
                    .contents()) {
                s3.deleteObject(delete -> delete.bucket(S3TestServer.BUCKET).key(object.key()));
            }
        }
        queue = SqsLambdaDriver.ofQueue(sqs);
        queueUrl = sqs.getQueueUrl(q -> q.queueName(SqsTestServer.QUEUE)).queueUrl();
        sqs.purgeQueue(p -> p.queueUrl(queueUrl));
    }

    @Test
    void jobWithGoodAndBadLines_runsAsOneBatch_andGetsOneResultLinePerInputLineInOrder_onceTheBatchIsDone() {
        byte[] png = TestImages.png(8, 8);
        UpstreamStubs.answerWith(upstream, List.of(png));
        putJob("mixed", String.join("\n",
                line("otter-url", "{\"prompt\":\"an otter\",\"size\":\"256x256\"}"),
                "{not json",
                line("otter-b64", "{\"model\":\"gpt-image-1\",\"prompt\":\"an otter\"}"),
                line("two-dall-e-3", "{\"model\":\"dall-e-3\",\"prompt\":\"an otter\",\"n\":2}"),
                "",
                "{\"method\":\"POST\",\"url\":\"/v1/images/generations\",\"body\":{\"prompt\":\"no id\"}}",
                line("streamed", "{\"model\":\"gpt-image-1\",\"prompt\":\"streamed\",\"stream\":true}"),
                "{\"custom_id\":\"wrong-url\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{}}",
                line("otter-url", "{\"prompt\":\"the same id again\"}"),
                line("unknown-field", "{\"prompt\":\"an otter\",\"colour\":\"blue\"}")) + "\n");

        SweepReport started = sweep.run(PLENTY_OF_TIME);

        assertThat(started.jobsFinished()).isEmpty();
        assertThat(started.jobsLeft()).containsExactly("mixed");
        assertThat(started.linesAnswered()).isZero();
        String batchId = batchIdOf("mixed");
        JsonNode batch = batch(batchId);
        assertThat(batch.path("metadata").toString()).isEqualTo("{\"job\":\"mixed\"}");
        assertThat(batch.path("endpoint").asText()).isEqualTo("/v1/images/generations");
        assertThat(batch.path("completion_window").asText()).isEqualTo("24h");

        queue.runUntil(() -> BatchStatus.isTerminal(batch(batchId).path("status").asText()), TIMEOUT);
        // The batch ran only the batch requests: the four the sweep answers itself never reached it.
        assertThat(batch(batchId).path("status").asText()).isEqualTo("completed");
        assertThat(batch(batchId).path("request_counts").toString())
                .isEqualTo("{\"total\":5,\"completed\":3,\"failed\":2}");
        assertThat(exists(BatchFiles.RESULTS + "mixed.jsonl")).isFalse();

        SweepReport finished = sweep.run(PLENTY_OF_TIME);

        assertThat(finished.jobsFinished()).containsExactly("mixed");
        assertThat(finished.jobsLeft()).isEmpty();
        assertThat(finished.linesAnswered()).isEqualTo(9);
        upstream.verify(3, postRequestedFor(urlEqualTo(UpstreamStubs.PATH)));
        upstream.verify(1, postRequestedFor(urlEqualTo(UpstreamStubs.PATH)).withRequestBody(containing("streamed")));
        List<JsonNode> results = results("mixed");
        assertThat(results).hasSize(9);
        assertThat(results).extracting(result -> result.get("custom_id").asText(null)).containsExactly("otter-url",
                null, "otter-b64", "two-dall-e-3", null, "streamed", "wrong-url", "otter-url", "unknown-field");
        assertThat(results).allSatisfy(result -> assertThat(result.get("id").asText()).startsWith("batch_req_"));

        JsonNode url = results.get(0);
        assertThat(url.get("error").isNull()).isTrue();
        assertThat(url.at("/response/status_code").asInt()).isEqualTo(200);
        String key = url.at("/response/body/data/0/key").asText();
        assertThat(key).startsWith("images/").endsWith("/0.png");
        assertThat(Gateway.download(url.at("/response/body/data/0/url").asText()).body()).isEqualTo(png);

        assertThat(results.get(1).get("response").isNull()).isTrue();
        assertThat(results.get(1).at("/error/code").asText()).isEqualTo("invalid_line");
        assertThat(results.get(2).at("/response/status_code").asInt()).isEqualTo(200);
        assertThat(results.get(2).at("/response/body/data/0/b64_json").asText()).isEqualTo(TestImages.base64(png));
        assertThat(results.get(3).at("/response/status_code").asInt()).isEqualTo(400);
        assertThat(results.get(3).at("/response/body/error/param").asText()).isEqualTo("n");
        assertThat(results.get(4).at("/error/message").asText()).contains("custom_id");
        assertThat(results.get(5).at("/response/status_code").asInt()).isEqualTo(200);
        assertThat(results.get(5).at("/response/body/data/0/b64_json").asText()).isEqualTo(TestImages.base64(png));
        assertThat(results.get(6).at("/error/code").asText()).isEqualTo("invalid_line");
        assertThat(results.get(6).at("/error/message").asText()).contains("url");
        assertThat(results.get(7).at("/error/code").asText()).isEqualTo("duplicate_custom_id");
        assertThat(results.get(8).at("/response/status_code").asInt()).isEqualTo(400);
        assertThat(results.get(8).at("/response/body/error/code").asText()).isEqualTo("unknown_parameter");

        assertThat(exists(BatchFiles.PENDING + "mixed.jsonl")).isFalse();
        assertThat(exists(BatchFiles.DONE + "mixed.jsonl")).isTrue();
        assertThat(keysUnder(BatchFiles.PROGRESS)).isEmpty();
        assertThat(sweep.run(PLENTY_OF_TIME).jobsFinished()).isEmpty();
        assertThat(batchRecords()).hasSize(1);
    }

    @Test
    void sweepRepeatedBeforeTheBatchIsDone_createsNoSecondBatch_andSendsNoSecondStart() {
        UpstreamStubs.answerWith(upstream, List.of(TestImages.png(8, 8)));
        putJob("twice", line("a", "{\"model\":\"gpt-image-1\",\"prompt\":\"one\"}"));

        sweep.run(PLENTY_OF_TIME);
        SweepReport again = sweep.run(PLENTY_OF_TIME);

        assertThat(again.jobsLeft()).containsExactly("twice");
        assertThat(batchRecords()).hasSize(1);
        assertThat(messagesOnTheQueue()).isEqualTo(1);
        String batchId = batchIdOf("twice");
        queue.runUntil(() -> BatchStatus.isTerminal(batch(batchId).path("status").asText()), TIMEOUT);
        assertThat(sweep.run(PLENTY_OF_TIME).jobsFinished()).containsExactly("twice");
        upstream.verify(1, postRequestedFor(urlEqualTo(UpstreamStubs.PATH)));
        assertThat(results("twice")).singleElement()
                .satisfies(result -> assertThat(result.at("/response/status_code").asInt()).isEqualTo(200));
    }

    @Test
    void sweepCutOffAfterEachStep_resumesInTheNextRun_withTheBatchItChoseFirst() {
        UpstreamStubs.answerWith(upstream, List.of(TestImages.png(8, 8)));
        putJob("cut", String.join("\n", line("a", "{\"model\":\"gpt-image-1\",\"prompt\":\"one\"}"),
                line("b", "{\"model\":\"gpt-image-1\",\"prompt\":\"two\"}")));

        // The job's batch is chosen, then the time is up: no file, no batch, no message.
        sweep.run(() -> exists(BatchFiles.PROGRESS + "cut/batch.json") ? 1_000 : 600_000);
        String batchId = batchIdOf("cut");
        assertThat(batchRecords()).isEmpty();
        assertThat(messagesOnTheQueue()).isZero();

        // The batch is created, then the time is up before its start message.
        SweepReport second = sweep.run(() -> batchRecords().isEmpty() ? 600_000 : 1_000);
        assertThat(second.jobsLeft()).containsExactly("cut");
        assertThat(batchIdOf("cut")).isEqualTo(batchId);
        assertThat(batchRecords()).containsExactly(BatchStore.PREFIX + BatchSweep.OWNER + "/" + batchId + "/batch.json");
        assertThat(messagesOnTheQueue()).isZero();

        sweep.run(PLENTY_OF_TIME);
        assertThat(messagesOnTheQueue()).isEqualTo(1);
        queue.runUntil(() -> BatchStatus.isTerminal(batch(batchId).path("status").asText()), TIMEOUT);

        // Every line has its result, but too little time is left to write them all: nothing is finished.
        SweepReport cutWhileFinishing = sweep.run(() -> 100_000);
        assertThat(cutWhileFinishing.jobsFinished()).isEmpty();
        assertThat(exists(BatchFiles.RESULTS + "cut.jsonl")).isFalse();

        SweepReport last = sweep.run(PLENTY_OF_TIME);
        assertThat(last.jobsFinished()).containsExactly("cut");
        assertThat(last.linesAnswered()).isEqualTo(2);
        assertThat(results("cut")).extracting(result -> result.get("custom_id").asText()).containsExactly("a", "b");
        assertThat(batchRecords()).hasSize(1);
        upstream.verify(2, postRequestedFor(urlEqualTo(UpstreamStubs.PATH)));
    }

    @Test
    void deadlineAlreadyNear_writesNothing_andLeavesTheJobPending() {
        putJob("late", line("a", "{\"prompt\":\"one\"}"));

        SweepReport report = sweep.run(() -> 5_000);

        assertThat(report.jobsLeft()).containsExactly("late");
        assertThat(keysUnder(BatchFiles.PROGRESS)).isEmpty();
        assertThat(batchRecords()).isEmpty();
    }

    @Test
    void jobWithNoBatchRequest_isAnsweredLineByLineInTheSameRun_withoutABatch() {
        byte[] malformed = concat("[1, 2, 3]\n".getBytes(StandardCharsets.UTF_8),
                new byte[] { (byte) 0xC3, (byte) 0x28, '\n' },
                ("{\"custom_id\":7,\"method\":\"POST\",\"url\":\"/v1/images/generations\",\"body\":{\"prompt\":\"p\"}}\n"
                        + line(" ", "{\"prompt\":\"p\"}") + "\n").getBytes(StandardCharsets.UTF_8));
        s3.putObject(put -> put.bucket(S3TestServer.BUCKET).key(BatchFiles.PENDING + "malformed.jsonl"),
                RequestBody.fromBytes(malformed));

        SweepReport report = sweep.run(PLENTY_OF_TIME);

        assertThat(report.jobsFinished()).containsExactly("malformed");
        assertThat(report.linesAnswered()).isEqualTo(4);
        List<JsonNode> results = results("malformed");
        assertThat(results).hasSize(4).allSatisfy(result -> {
            assertThat(result.get("response").isNull()).isTrue();
            assertThat(result.get("custom_id").isNull()).isTrue();
            assertThat(result.at("/error/code").asText()).isEqualTo("invalid_line");
        });
        assertThat(results.get(1).at("/error/message").asText()).contains("UTF-8");
        assertThat(results.get(2).at("/error/message").asText())
                .contains("'custom_id' must be a string, not a number").doesNotContain("Missing");
        assertThat(results.get(3).at("/error/message").asText()).contains("'custom_id' is empty");
        assertThat(batchRecords()).isEmpty();
        assertThat(keysUnder("files/" + BatchSweep.OWNER + "/")).isEmpty();
        assertThat(keysUnder(BatchFiles.PROGRESS)).isEmpty();
        upstream.verify(0, postRequestedFor(urlEqualTo(UpstreamStubs.PATH)));
    }

    @Test
    void jobWhoseBatchIsCancelled_stillGetsOneResultLinePerInputLine() {
        putJob("stopped", String.join("\n", line("a", "{\"prompt\":\"one\"}"), "{not json"));
        sweep.run(PLENTY_OF_TIME);
        String batchId = batchIdOf("stopped");

        requests.cancel(BatchSweep.OWNER, batchId);
        queue.runUntil(() -> BatchStatus.isTerminal(batch(batchId).path("status").asText()), TIMEOUT);
        SweepReport report = sweep.run(PLENTY_OF_TIME);

        assertThat(report.jobsFinished()).containsExactly("stopped");
        assertThat(results("stopped")).extracting(result -> result.at("/error/code").asText())
                .containsExactly("batch_cancelled", "invalid_line");
        upstream.verify(0, postRequestedFor(urlEqualTo(UpstreamStubs.PATH)));
    }

    @Test
    void anErrorLineWithoutACustomId_asAnOlderVersionWroteThem_hidesNoErrorLineAfterIt() {
        putJob("older", String.join("\n", line("a", "{\"prompt\":\"one\",\"colour\":\"blue\"}"),
                line("b", "{\"prompt\":\"two\",\"colour\":\"blue\"}"),
                line("c", "{\"prompt\":\"three\",\"colour\":\"blue\"}")) + "\n");
        sweep.run(PLENTY_OF_TIME);
        String batchId = batchIdOf("older");
        queue.runUntil(() -> BatchStatus.isTerminal(batch(batchId).path("status").asText()), TIMEOUT);
        // Before the finalizer filled it in, a dead-lettered line whose input could not be read had none.
        String key = FileStore.contentKey(BatchSweep.OWNER, batch(batchId).path("error_file_id").asText());
        String errors = s3.getObjectAsBytes(get -> get.bucket(S3TestServer.BUCKET).key(key)).asUtf8String();
        assertThat(errors).startsWith("{\"id\"").contains("\"custom_id\":\"a\"");
        s3.putObject(put -> put.bucket(S3TestServer.BUCKET).key(key),
                RequestBody.fromString(errors.replace("\"custom_id\":\"a\"", "\"custom_id\":null")));

        sweep.run(PLENTY_OF_TIME);

        List<JsonNode> results = results("older");
        assertThat(results).extracting(result -> result.get("custom_id").asText()).containsExactly("a", "b", "c");
        // a's result cannot be told from the file any more; b's and c's are still found after it.
        assertThat(results.get(0).at("/error/code").asText()).isEqualTo("missing_result");
        assertThat(results.subList(1, 3)).allSatisfy(result -> assertThat(
                result.at("/response/body/error/code").asText()).isEqualTo("unknown_parameter"));
    }

    @Test
    void keysThatNameNoJob_areMovedToRefused_andNamedInTheReportWithTheRule() {
        putJob("fine", line("x", "{\"prompt\":\"an otter\"}"));
        putJob("nested/job", line("y", "{\"prompt\":\"an otter\"}"));
        putJob("my job", line("z", "{\"prompt\":\"an otter\"}"));
        s3.putObject(put -> put.bucket(S3TestServer.BUCKET).key(BatchFiles.PENDING), RequestBody.empty());

        SweepReport report = sweep.run(PLENTY_OF_TIME);

        assertThat(report.jobsLeft()).containsExactly("fine");
        assertThat(report.jobsSkipped()).extracting(SweepReport.SkippedJob::key)
                .containsExactlyInAnyOrder(BatchFiles.PENDING + "my job.jsonl", BatchFiles.PENDING + "nested/job.jsonl");
        assertThat(report.jobsSkipped()).allSatisfy(skipped -> assertThat(skipped.reason())
                .contains("Not a job", "{job-id}.jsonl", "letters, digits", "Moved to " + BatchFiles.REFUSED));
        assertThat(batchRecords()).hasSize(1);
        assertThat(exists(BatchFiles.PENDING + "nested/job.jsonl")).isFalse();
        assertThat(s3.headObject(head -> head.bucket(S3TestServer.BUCKET).key(BatchFiles.REFUSED + "nested/job.jsonl"))
                .metadata().get("refused-reason")).contains("{job-id}.jsonl");
        assertThat(s3.getObjectAsBytes(get -> get.bucket(S3TestServer.BUCKET).key(BatchFiles.REFUSED + "my job.jsonl"))
                .asUtf8String()).isEqualTo(line("z", "{\"prompt\":\"an otter\"}"));
        // The console's folder marker is no job and no refusal.
        assertThat(exists(BatchFiles.PENDING)).isTrue();

        assertThat(sweep.run(PLENTY_OF_TIME).jobsSkipped()).isEmpty();
    }

    @Test
    void jobWithMoreLinesThanOneBatchTakes_isNamedInTheReport_andFinishedWithOneErrorLine() {
        putJob("huge", "x\n".repeat(50_001));

        SweepReport report = sweep.run(PLENTY_OF_TIME);

        assertThat(report.jobsFinished()).containsExactly("huge");
        assertThat(report.linesAnswered()).isZero();
        assertThat(report.jobsSkipped()).singleElement().satisfies(skipped -> {
            assertThat(skipped.key()).isEqualTo(BatchFiles.PENDING + "huge.jsonl");
            assertThat(skipped.reason()).contains("50,000 lines", "job_too_large");
        });
        assertThat(results("huge")).singleElement()
                .satisfies(result -> assertThat(result.at("/error/code").asText()).isEqualTo("job_too_large"));
        assertThat(batchRecords()).isEmpty();
        assertThat(keysUnder("files/" + BatchSweep.OWNER + "/")).isEmpty();
    }

    static String line(String customId, String body) {
        return "{\"custom_id\":\"" + customId + "\",\"method\":\"POST\",\"url\":\"/v1/images/generations\",\"body\":"
                + body + "}";
    }

    private void putJob(String jobId, String jsonl) {
        s3.putObject(put -> put.bucket(S3TestServer.BUCKET).key(BatchFiles.PENDING + jobId + ".jsonl"),
                RequestBody.fromString(jsonl));
    }

    private String batchIdOf(String jobId) {
        return readJson(BatchFiles.PROGRESS + jobId + "/batch.json").path("batch_id").asText();
    }

    private JsonNode batch(String batchId) {
        return readJson(BatchStore.PREFIX + BatchSweep.OWNER + "/" + batchId + "/batch.json").path("batch");
    }

    private List<String> batchRecords() {
        return keysUnder(BatchStore.PREFIX).stream().filter(key -> key.endsWith("/batch.json")).toList();
    }

    /** Messages waiting on the queue, delayed ones included; ElasticMQ counts them exactly. */
    private int messagesOnTheQueue() {
        return sqs.getQueueAttributes(a -> a.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributesAsStrings().values().stream()
                .mapToInt(Integer::parseInt).sum();
    }

    private JsonNode readJson(String key) {
        try {
            return JSON.readTree(s3.getObjectAsBytes(get -> get.bucket(S3TestServer.BUCKET).key(key)).asByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<JsonNode> results(String jobId) {
        String jsonl = s3.getObjectAsBytes(get -> get.bucket(S3TestServer.BUCKET)
                .key(BatchFiles.RESULTS + jobId + ".jsonl")).asUtf8String();
        assertThat(jsonl).endsWith("\n");
        List<JsonNode> lines = new ArrayList<>();
        for (String line : jsonl.split("\n")) {
            try {
                lines.add(JSON.readTree(line));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return lines;
    }

    private boolean exists(String key) {
        try {
            s3.headObject(head -> head.bucket(S3TestServer.BUCKET).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    private List<String> keysUnder(String prefix) {
        return s3.listObjectsV2Paginator(list -> list.bucket(S3TestServer.BUCKET).prefix(prefix)).contents().stream()
                .map(S3Object::key).toList();
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
