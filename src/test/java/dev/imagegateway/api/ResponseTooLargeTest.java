package dev.imagegateway.api;

import static dev.imagegateway.api.RequestErrorsTest.assertEnvelope;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.imagegateway.storage.ImageKeys;
import dev.imagegateway.testsupport.Gateway;
import dev.imagegateway.testsupport.S3TestServer;
import dev.imagegateway.testsupport.S3TestServer.InjectS3;
import dev.imagegateway.testsupport.TestImages;
import dev.imagegateway.testsupport.UpstreamStubs;
import dev.imagegateway.testsupport.UpstreamTestServer;
import dev.imagegateway.testsupport.UpstreamTestServer.InjectUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/** Lambda and API Gateway cannot return more than 6 MB; the images the caller paid for are kept. */
@QuarkusTest
@WithTestResource(S3TestServer.class)
@WithTestResource(UpstreamTestServer.class)
class ResponseTooLargeTest {

    /** Lambda's limit for a synchronous answer. */
    private static final int LAMBDA_LIMIT = 6_291_456;

    @InjectUpstream
    WireMockServer upstream;

    @InjectS3
    S3Client s3;

    @BeforeEach
    void resetUpstream() {
        upstream.resetAll();
    }

    @Test
    void base64AnswerOver6MB_is413_andTheImagesAreKeptInTheBucket() {
        byte[] big = TestImages.pngSignedNoise(5_000_000, 7); // 6.7 MB as base64
        UpstreamStubs.answerWith(upstream, List.of(big));

        Response response = Gateway.generate("{\"prompt\":\"otter\",\"response_format\":\"b64_json\"}");

        assertEnvelope(response, 413, "invalid_request_error", "response_too_large");
        String requestId = response.header("x-request-id");
        assertThat(response.jsonPath().getString("error.message")).contains("response_format=url", requestId,
                "/v1/batches");
        byte[] kept = s3.getObjectAsBytes(get -> get.bucket(S3TestServer.BUCKET)
                .key(ImageKeys.of(Instant.now(), requestId, 0, "png"))).asByteArray();
        assertThat(kept).isEqualTo(big);
    }

    @Test
    void base64AnswerJustUnderTheLimit_isReturned_andFitsLambda() {
        byte[] image = TestImages.pngSignedNoise(4_400_000, 8); // 5.87 MB as base64
        UpstreamStubs.answerWith(upstream, List.of(image));

        Response response = Gateway.generate("{\"prompt\":\"otter\",\"response_format\":\"b64_json\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.asByteArray().length).isLessThan(LAMBDA_LIMIT);
        assertThat(response.jsonPath().getString("data[0].b64_json")).isEqualTo(TestImages.base64(image));
    }

    @Test
    void sameImagesAsLinks_areFine() {
        UpstreamStubs.answerWith(upstream, List.of(TestImages.pngSignedNoise(5_000_000, 9)));

        Response response = Gateway.generate("{\"prompt\":\"otter\",\"response_format\":\"url\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Gateway.download(response.jsonPath().getString("data[0].url")).body()).hasSize(5_000_000);
    }
}
