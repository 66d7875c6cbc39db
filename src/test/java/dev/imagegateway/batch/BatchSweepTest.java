package dev.imagegateway.batch;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.imagegateway.testsupport.Gateway;
import dev.imagegateway.testsupport.S3TestServer;
import dev.imagegateway.testsupport.S3TestServer.InjectS3;
import dev.imagegateway.testsupport.TestImages;
import dev.imagegateway.testsupport.UpstreamStubs;
import dev.imagegateway.testsupport.UpstreamTestServer;
import dev.imagegateway.testsupport.UpstreamTestServer.InjectUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The batch sweep against the real test bucket and upstream, with the deadline under the test's control. */
@QuarkusTest
@WithTestResource(S3TestServer.class)
@WithTestResource(UpstreamTestServer.class)
class BatchSweepTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RemainingTime PLENTY_OF_TIME = () -> 600_000;

    @Inject
    BatchSweep sweep;

    @InjectUpstream
    WireMockServer upstream;

    @InjectS3
    S3Client s3;

    @BeforeEach
    void emptyBatchesAndResetUpstream() {
        upstream.resetAll();
        for (S3Object object : s3.listObjectsV2Paginator(list -> list.bucket(S3TestServer.BUCKET).prefix("batches/"))
                .contents()) {
            s3.deleteObject(delete -> delete.bucket(S3TestServer.BUCKET).key(object.key()));
        }
    }

    @Test
    void jobWithGoodAndBadLines_answersEveryLineInOrder_generatesOnlyTheGoodOnes_andMovesTheJobToDone() throws Exception {
        byte[] png = TestImages.png(8, 8);
        UpstreamStubs.answerWith(upstream, List.of(png));
        putJob("mixed", String.join("\n",
                line("otter-url", "{\"prompt\":\"an otter\",\"size\":\"256x256\"}"),
                line("otter-b64", "{\"model\":\"gpt-image-1\",\"prompt\":\"an otter\"}"),
                line("two-dall-e-3", "{\"model\":\"dall-e-3\",\"prompt\":\"an otter\",\"n\":2}"),
                line("unknown-field", "{\"prompt\":\"an otter\",\"colour\":\"blue\"}"),
                "{not json",
                "",
                "{\"method\":\"POST\",\"url\":\"/v1/images/generations\",\"body\":{\"prompt\":\"no id\"}}",
                "{\"custom_id\":\"wrong-url\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{}}",
                line("otter-url", "{\"prompt\":\"the same id again\"}")) + "\n");

        SweepReport report = sweep.run(PLENTY_OF_TIME);

        assertThat(report.jobsFinished()).containsExactly("mixed");
        assertThat(report.linesAnswered()).isEqualTo(8);
        upstream.verify(2, postRequestedFor(urlEqualTo(UpstreamStubs.PATH)));
        List<JsonNode> results = results("mixed");
        assertThat(results).hasSize(8);

        JsonNode url = results.get(0);
        assertThat(url.get("id").asText()).startsWith("batch_req_");
        assertThat(url.get("custom_id").asText()).isEqualTo("otter-url");
        assertThat(url.get("error").isNull()).isTrue();
        assertThat(url.at("/response/status_code").asInt()).isEqualTo(200);
        String requestId = url.at("/response/request_id").asText();
        String key = url.at("/response/body/data/0/key").asText();
        assertThat(key).startsWith("images/").contains("/" + requestId + "/").endsWith("/0.png");
        assertThat(s3.getObjectAsBytes(get -> get.bucket(S3TestServer.BUCKET).key(key)).asByteArray()).isEqualTo(png);
        assertThat(Gateway.download(url.at("/response/body/data/0/url").asText()).body()).isEqualTo(png);

        JsonNode b64 = results.get(1);
        assertThat(b64.at("/response/status_code").asInt()).isEqualTo(200);
        assertThat(b64.at("/response/body/data/0/b64_json").asText()).isEqualTo(TestImages.base64(png));
        assertThat(b64.at("/response/body/usage/total_tokens").asInt()).isEqualTo(
                UpstreamStubs.usage().get("total_tokens").asInt());

        JsonNode invalid = results.get(2);
        assertThat(invalid.at("/response/status_code").asInt()).isEqualTo(400);
        assertThat(invalid.at("/response/body/error/param").asText()).isEqualTo("n");
        assertThat(invalid.at("/response/body/error/type").asText()).isEqualTo("invalid_request_error");
        assertThat(results.get(3).at("/response/body/error/code").asText()).isEqualTo("unknown_parameter");

        assertThat(results.get(4).get("response").isNull()).isTrue();
        assertThat(results.get(4).at("/error/code").asText()).isEqualTo("invalid_line");
        assertThat(results.get(5).get("custom_id").isNull()).isTrue();
        assertThat(results.get(5).at("/error/message").asText()).contains("custom_id");
        assertThat(results.get(6).at("/error/message").asText()).contains("url");
        assertThat(results.get(7).get("custom_id").asText()).isEqualTo("otter-url");
        assertThat(results.get(7).at("/error/code").asText()).isEqualTo("duplicate_custom_id");

        assertThat(exists(BatchFiles.PENDING + "mixed.jsonl")).isFalse();
        assertThat(exists(BatchFiles.DONE + "mixed.jsonl")).isTrue();
        assertThat(keysUnder(BatchFiles.PROGRESS)).isEmpty();
    }

    @Test
    void sweepStoppedByTheDeadline_resumesInTheNextRun_withoutGeneratingAnyLineTwice() throws Exception {
        UpstreamStubs.answerWith(upstream, List.of(TestImages.png(8, 8)));
        putJob("three", String.join("\n", line("a", "{\"prompt\":\"one\"}"), line("b", "{\"prompt\":\"two\"}"),
                line("c", "{\"prompt\":\"three\"}")));
        // The deadline comes after two generations: one second left is far less than one upstream call.
        RemainingTime nearAfterTwoCalls = () -> upstream.getAllServeEvents().size() < 2 ? 600_000 : 1_000;

        SweepReport first = sweep.run(nearAfterTwoCalls);

        assertThat(first.linesAnswered()).isEqualTo(2);
        assertThat(first.jobsFinished()).isEmpty();
        assertThat(first.jobsLeft()).containsExactly("three");
        assertThat(exists(BatchFiles.PENDING + "three.jsonl")).isTrue();
        assertThat(exists(BatchFiles.RESULTS + "three.jsonl")).isFalse();
        assertThat(keysUnder(BatchFiles.PROGRESS + "three/")).hasSize(2);

        SweepReport second = sweep.run(PLENTY_OF_TIME);

        assertThat(second.linesAnswered()).isEqualTo(1);
        assertThat(second.jobsFinished()).containsExactly("three");
        upstream.verify(3, postRequestedFor(urlEqualTo(UpstreamStubs.PATH)));
        List<JsonNode> results = results("three");
        assertThat(results).extracting(result -> result.get("custom_id").asText()).containsExactly("a", "b", "c");
        assertThat(results).allSatisfy(result -> assertThat(result.at("/response/status_code").asInt()).isEqualTo(200));
        assertThat(results).extracting(result -> result.at("/response/request_id").asText()).doesNotHaveDuplicates();

        SweepReport third = sweep.run(PLENTY_OF_TIME);

        assertThat(third.linesAnswered()).isZero();
        upstream.verify(3, postRequestedFor(urlEqualTo(UpstreamStubs.PATH)));
    }

    @Test
    void deadlineAlreadyNear_startsNoLineAtAll() throws Exception {
        UpstreamStubs.answerWith(upstream, List.of(TestImages.png(8, 8)));
        putJob("late", line("a", "{\"prompt\":\"one\"}"));

        SweepReport report = sweep.run(() -> 5_000);

        assertThat(report.linesAnswered()).isZero();
        assertThat(report.jobsLeft()).containsExactly("late");
        upstream.verify(0, postRequestedFor(urlEqualTo(UpstreamStubs.PATH)));
    }

    @Test
    void malformedJobFile_getsAnErrorLinePerLine_generatesNothing_andDoesNotStopTheNextJob() throws Exception {
        UpstreamStubs.answerWith(upstream, List.of(TestImages.png(8, 8)));
        byte[] malformed = concat("[1, 2, 3]\n".getBytes(StandardCharsets.UTF_8),
                new byte[] { (byte) 0xC3, (byte) 0x28, '\n' },
                "custom_id,method,url\nnull\n".getBytes(StandardCharsets.UTF_8));
        s3.putObject(put -> put.bucket(S3TestServer.BUCKET).key(BatchFiles.PENDING + "a-malformed.jsonl"),
                RequestBody.fromBytes(malformed));
        putJob("b-good", line("fine", "{\"prompt\":\"an otter\"}"));
        s3.putObject(put -> put.bucket(S3TestServer.BUCKET).key(BatchFiles.PENDING + "nested/job.jsonl"),
                RequestBody.fromString(line("x", "{\"prompt\":\"an otter\"}")));

        SweepReport report = sweep.run(PLENTY_OF_TIME);

        assertThat(report.jobsFinished()).containsExactly("a-malformed", "b-good");
        List<JsonNode> results = results("a-malformed");
        assertThat(results).hasSize(4).allSatisfy(result -> {
            assertThat(result.get("response").isNull()).isTrue();
            assertThat(result.at("/error/code").asText()).isEqualTo("invalid_line");
        });
        assertThat(results.get(1).at("/error/message").asText()).contains("UTF-8");
        assertThat(results("b-good")).singleElement()
                .satisfies(result -> assertThat(result.at("/response/status_code").asInt()).isEqualTo(200));
        upstream.verify(1, postRequestedFor(urlEqualTo(UpstreamStubs.PATH)));
        // A key that is not {job-id}.jsonl is not run, and says so: see keysThatNameNoJob_….
        assertThat(report.jobsSkipped()).extracting(SweepReport.SkippedJob::key)
                .containsExactly(BatchFiles.PENDING + "nested/job.jsonl");
    }

    @Test
    void deadlineReachedAfterTheLastLine_leavesTheJobWholeInPending_andTheNextRunFinishesItOnce() throws Exception {
        UpstreamStubs.answerWith(upstream, List.of(TestImages.png(8, 8)));
        putJob("edge", String.join("\n", line("a", "{\"prompt\":\"one\"}"), line("b", "{\"prompt\":\"two\"}"),
                line("c", "{\"prompt\":\"three\"}")));
        // After the third line 20 s are left: more than the margin, less than three S3 calls may take.
        RemainingTime nearAfterTheLastLine = () -> upstream.getAllServeEvents().size() < 3 ? 600_000 : 20_000;

        SweepReport first = sweep.run(nearAfterTheLastLine);

        assertThat(first.linesAnswered()).isEqualTo(3);
        assertThat(first.jobsFinished()).isEmpty();
        assertThat(first.jobsLeft()).containsExactly("edge");
        assertThat(exists(BatchFiles.PENDING + "edge.jsonl")).isTrue();
        assertThat(exists(BatchFiles.RESULTS + "edge.jsonl")).isFalse();
        assertThat(exists(BatchFiles.DONE + "edge.jsonl")).isFalse();
        assertThat(keysUnder(BatchFiles.PROGRESS + "edge/")).hasSize(3);

        SweepReport second = sweep.run(PLENTY_OF_TIME);

        assertThat(second.linesAnswered()).isZero();
        assertThat(second.jobsFinished()).containsExactly("edge");
        upstream.verify(3, postRequestedFor(urlEqualTo(UpstreamStubs.PATH)));
        assertThat(results("edge")).extracting(result -> result.get("custom_id").asText()).containsExactly("a", "b", "c");
        assertThat(exists(BatchFiles.PENDING + "edge.jsonl")).isFalse();
        assertThat(exists(BatchFiles.DONE + "edge.jsonl")).isTrue();
        assertThat(keysUnder(BatchFiles.PROGRESS)).isEmpty();

        SweepReport third = sweep.run(PLENTY_OF_TIME);

        assertThat(third.jobsFinished()).isEmpty();
        assertThat(third.jobsLeft()).isEmpty();
        upstream.verify(3, postRequestedFor(urlEqualTo(UpstreamStubs.PATH)));
    }

    @Test
    void deadlineReachedAfterTheJobMovedToDone_leavesItsAnswers_andTheNextRunDeletesThemWithoutRunningIt() {
        UpstreamStubs.answerWith(upstream, List.of(TestImages.png(8, 8)));
        putJob("cut", String.join("\n", line("a", "{\"prompt\":\"one\"}"), line("b", "{\"prompt\":\"two\"}")));
        RemainingTime nearOnceDone = () -> exists(BatchFiles.PENDING + "cut.jsonl") ? 600_000 : 1_000;

        SweepReport first = sweep.run(nearOnceDone);

        assertThat(first.jobsFinished()).containsExactly("cut");
        assertThat(results("cut")).hasSize(2);
        assertThat(keysUnder(BatchFiles.PROGRESS + "cut/")).hasSize(2);

        SweepReport second = sweep.run(PLENTY_OF_TIME);

        assertThat(second.linesAnswered()).isZero();
        assertThat(second.jobsFinished()).isEmpty();
        assertThat(keysUnder(BatchFiles.PROGRESS)).isEmpty();
        assertThat(results("cut")).hasSize(2);
        upstream.verify(2, postRequestedFor(urlEqualTo(UpstreamStubs.PATH)));
    }

    @Test
    void keysThatNameNoJob_areMovedToRefused_andNamedInTheReportWithTheRule() throws Exception {
        UpstreamStubs.answerWith(upstream, List.of(TestImages.png(8, 8)));
        putJob("fine", line("x", "{\"prompt\":\"an otter\"}"));
        putJob("nested/job", line("y", "{\"prompt\":\"an otter\"}"));
        putJob("my job", line("z", "{\"prompt\":\"an otter\"}"));
        s3.putObject(put -> put.bucket(S3TestServer.BUCKET).key(BatchFiles.PENDING), RequestBody.empty());

        SweepReport report = sweep.run(PLENTY_OF_TIME);

        assertThat(report.jobsFinished()).containsExactly("fine");
        assertThat(report.jobsSkipped()).extracting(SweepReport.SkippedJob::key)
                .containsExactlyInAnyOrder(BatchFiles.PENDING + "my job.jsonl", BatchFiles.PENDING + "nested/job.jsonl");
        assertThat(report.jobsSkipped()).allSatisfy(skipped -> assertThat(skipped.reason())
                .contains("Not a job", "{job-id}.jsonl", "letters, digits", "Moved to " + BatchFiles.REFUSED));
        upstream.verify(1, postRequestedFor(urlEqualTo(UpstreamStubs.PATH)));
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
    void jobOverTheSizeLimit_isNamedInTheReport_andFinishedWithOneErrorLine() throws Exception {
        byte[] huge = new byte[20 * 1024 * 1024 + 1];
        java.util.Arrays.fill(huge, (byte) '\n');
        s3.putObject(put -> put.bucket(S3TestServer.BUCKET).key(BatchFiles.PENDING + "huge.jsonl"),
                RequestBody.fromBytes(huge));

        SweepReport report = sweep.run(PLENTY_OF_TIME);

        assertThat(report.jobsFinished()).containsExactly("huge");
        assertThat(report.jobsSkipped()).singleElement().satisfies(skipped -> {
            assertThat(skipped.key()).isEqualTo(BatchFiles.PENDING + "huge.jsonl");
            assertThat(skipped.reason()).contains("images.batch.max-job-bytes", "job_too_large");
        });
        assertThat(results("huge")).singleElement()
                .satisfies(result -> assertThat(result.at("/error/code").asText()).isEqualTo("job_too_large"));
    }

    @Test
    void numericCustomId_isAnInvalidLine_whoseErrorSaysItMustBeAString_notThatItIsMissing() throws Exception {
        putJob("ids", String.join("\n",
                "{\"custom_id\":7,\"method\":\"POST\",\"url\":\"/v1/images/generations\",\"body\":{\"prompt\":\"p\"}}",
                "{\"method\":\"POST\",\"url\":\"/v1/images/generations\",\"body\":{\"prompt\":\"p\"}}",
                line(" ", "{\"prompt\":\"p\"}")));

        sweep.run(PLENTY_OF_TIME);

        List<JsonNode> results = results("ids");
        assertThat(results).allSatisfy(result -> {
            assertThat(result.get("custom_id").isNull()).isTrue();
            assertThat(result.get("response").isNull()).isTrue();
            assertThat(result.at("/error/code").asText()).isEqualTo("invalid_line");
        });
        assertThat(results.get(0).at("/error/message").asText())
                .contains("'custom_id' must be a string, not a number").doesNotContain("Missing");
        assertThat(results.get(1).at("/error/message").asText()).startsWith("Missing 'custom_id'");
        assertThat(results.get(2).at("/error/message").asText()).contains("'custom_id' is empty");
        upstream.verify(0, postRequestedFor(urlEqualTo(UpstreamStubs.PATH)));
    }

    @Test
    void upstreamRefusal_isThatLinesAnswer_withTheUpstreamsStatus() throws Exception {
        UpstreamStubs.answerWith(upstream, 400, UpstreamStubs.error("content-policy-violation"));
        putJob("refused", line("r", "{\"prompt\":\"something refused\"}"));

        sweep.run(PLENTY_OF_TIME);

        JsonNode result = results("refused").get(0);
        assertThat(result.at("/response/status_code").asInt()).isEqualTo(400);
        assertThat(result.at("/response/body/error/code").asText()).isEqualTo("content_policy_violation");
        assertThat(result.get("error").isNull()).isTrue();
    }

    static String line(String customId, String body) {
        return "{\"custom_id\":\"" + customId + "\",\"method\":\"POST\",\"url\":\"/v1/images/generations\",\"body\":"
                + body + "}";
    }

    private void putJob(String jobId, String jsonl) {
        s3.putObject(put -> put.bucket(S3TestServer.BUCKET).key(BatchFiles.PENDING + jobId + ".jsonl"),
                RequestBody.fromString(jsonl));
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
