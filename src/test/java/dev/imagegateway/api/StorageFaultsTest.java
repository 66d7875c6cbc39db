package dev.imagegateway.api;

import static dev.imagegateway.api.RequestErrorsTest.assertEnvelope;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.imagegateway.testsupport.FlakyS3TestServer;
import dev.imagegateway.testsupport.FlakyS3TestServer.InjectFlakyS3;
import dev.imagegateway.testsupport.Gateway;
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
        assertThat(s3.uploadsDropped()).isEqualTo(3);
    }

    @Test
    void base64Answers_doNotTouchS3() {
        s3.dropNextUploads(100);

        Response response = Gateway.generate("{\"prompt\":\"otter\",\"response_format\":\"b64_json\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(s3.uploadsDropped()).isZero();
    }
}
