package dev.imagegateway.api;

import static dev.imagegateway.api.RequestErrorsTest.assertEnvelope;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.imagegateway.storage.S3Clients;
import dev.imagegateway.testsupport.FlakyS3TestServer;
import dev.imagegateway.testsupport.FlakyS3TestServer.InjectFlakyS3;
import dev.imagegateway.testsupport.Gateway;
import dev.imagegateway.testsupport.S3TestServer;
import dev.imagegateway.testsupport.TestImages;
import dev.imagegateway.testsupport.UpstreamStubs;
import dev.imagegateway.testsupport.UpstreamTestServer;
import dev.imagegateway.testsupport.UpstreamTestServer.InjectUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** S3 failing mid-upload: retried by the SDK, and a clear 503 when it keeps failing. */
@QuarkusTest
@WithTestResource(FlakyS3TestServer.class)
@WithTestResource(UpstreamTestServer.class)
class StorageFaultsTest {

    @InjectUpstream
    WireMockServer upstream;

    @InjectFlakyS3
    FlakyS3TestServer s3;

    private final byte[] png = TestImages.png(8, 8);

    @BeforeEach
    void stub() {
        upstream.resetAll();
        UpstreamStubs.answerWith(upstream, List.of(png));
    }

    @Test
    void uploadThatFailsOnce_isRetried_andTheLinkWorks() {
        s3.dropNextUploads(1);

        Response response = Gateway.generate("{\"prompt\":\"otter\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(s3.uploadsDropped()).isEqualTo(1);
        assertThat(Gateway.download(response.jsonPath().getString("data[0].url")).body()).isEqualTo(png);
    }

    @Test
    void uploadThatKeepsFailing_is503_afterTheSdksAttempts() {
        s3.dropNextUploads(100);

        Response response = Gateway.generate("{\"prompt\":\"otter\"}");

        assertEnvelope(response, 503, "server_error", "storage_unavailable");
        assertThat(s3.uploadsDropped()).isEqualTo(S3Clients.S3_ATTEMPTS);
    }

    @Test
    void oneOfSeveralUploadsFailing_is503_andNoImageOfTheRequestIsLeft() throws InterruptedException {
        upstream.resetAll();
        UpstreamStubs.answerWith(upstream, List.of(png, png, png));
        s3.dropUploadsOfKeysEndingWith("/1.png");

        Response response = Gateway.generate("{\"prompt\":\"otters\",\"n\":3}");

        assertEnvelope(response, 503, "server_error", "storage_unavailable");
        String requestId = response.header("x-request-id");
        // The other two were stored, then removed: removal runs as each upload completes, so wait a little.
        long until = System.nanoTime() + 5_000_000_000L;
        List<String> left;
        do {
            Thread.sleep(100);
            left = s3.client().listObjectsV2(list -> list.bucket(S3TestServer.BUCKET).prefix("images/")).contents()
                    .stream().map(object -> object.key()).filter(key -> key.contains(requestId)).toList();
        } while (!left.isEmpty() && System.nanoTime() < until);
        assertThat(left).isEmpty();
        s3.dropUploadsOfKeysEndingWith(null);
    }

    @Test
    void s3TooSlowForTheDeadline_is503InTime_andTheLateUploadIsRemoved() throws InterruptedException {
        s3.dropNextUploads(0);
        s3.delayUploads(7_000); // storage may run 2 s (the test reserve) past the 3 s upstream timeout
        long started = System.nanoTime();
        Response response;
        try {
            response = Gateway.generate("{\"prompt\":\"otter\"}");
        } finally {
            s3.delayUploads(0);
        }

        assertEnvelope(response, 503, "server_error", "storage_unavailable");
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(6_500);
        String requestId = response.header("x-request-id");
        long until = System.nanoTime() + 10_000_000_000L;
        List<String> left;
        do {
            Thread.sleep(200);
            left = s3.client().listObjectsV2(list -> list.bucket(S3TestServer.BUCKET).prefix("images/")).contents()
                    .stream().map(object -> object.key()).filter(key -> key.contains(requestId)).toList();
        } while (!left.isEmpty() && System.nanoTime() < until);
        assertThat(left).as("the upload that finished after the answer was removed").isEmpty();
    }

    @Test
    void base64Answers_doNotTouchS3() {
        s3.dropNextUploads(100);

        Response response = Gateway.generate("{\"prompt\":\"otter\",\"response_format\":\"b64_json\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(s3.uploadsDropped()).isZero();
    }

    /**
     * S3 stores the object but its answer is lost: the SDK sees a failed upload, the request gets its
     * 503, and the object that was stored after all is removed with the others.
     */
    @Test
    void storedObjectWhoseAnswerWasLost_isRemovedWithTheRest() throws InterruptedException {
        upstream.resetAll();
        UpstreamStubs.answerWith(upstream, List.of(png, png));
        s3.dropNextUploads(0);
        s3.loseAnswersToUploadsOfKeysEndingWith("/1.png");
        Response response;
        int answersLost;
        try {
            response = Gateway.generate("{\"prompt\":\"otters\",\"n\":2}");
            answersLost = s3.answersLost();
        } finally {
            s3.loseAnswersToUploadsOfKeysEndingWith(null);
        }

        assertEnvelope(response, 503, "server_error", "storage_unavailable");
        assertThat(answersLost).as("S3 stored the object, its answer was lost").isPositive();
        String requestId = response.header("x-request-id");
        long until = System.nanoTime() + 10_000_000_000L;
        List<String> left;
        do {
            Thread.sleep(100);
            left = keysOf(requestId);
        } while (!left.isEmpty() && System.nanoTime() < until);
        assertThat(left).as("every key of the failed request, the one whose answer was lost included").isEmpty();
    }

    /**
     * An upstream that answers late, within its timeout, leaves the uploads their own budget (the
     * invocation's end), not the upstream's last milliseconds: paid-for images are kept and linked.
     */
    @Test
    void lateUpstreamAnswer_stillLeavesStorageItsOwnTime_andTheImagesAreKept() {
        upstream.resetAll();
        upstream.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(UpstreamStubs.PATH).willReturn(
                UpstreamStubs.json(200, UpstreamStubs.imagesBody(List.of(png, png), false)).withFixedDelay(2_400)));
        s3.dropNextUploads(0);
        s3.delayUploads(1_000); // the upstream timeout is 3 s: S3 would end 0.4 s past it
        Response response;
        try {
            response = Gateway.generate("{\"prompt\":\"otters\",\"n\":2}");
        } finally {
            s3.delayUploads(0);
        }

        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        assertThat(Gateway.download(response.jsonPath().getString("data[1].url")).body()).isEqualTo(png);
    }

    private List<String> keysOf(String requestId) {
        return s3.client().listObjectsV2(list -> list.bucket(S3TestServer.BUCKET).prefix("images/")).contents()
                .stream().map(object -> object.key()).filter(key -> key.contains(requestId)).toList();
    }
}
