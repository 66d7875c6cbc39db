package dev.imagegateway.api;

import static dev.imagegateway.api.RequestErrorsTest.assertEnvelope;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.imagegateway.testsupport.ClosedPort;
import dev.imagegateway.testsupport.Gateway;
import dev.imagegateway.testsupport.TestImages;
import dev.imagegateway.testsupport.UpstreamStubs;
import dev.imagegateway.testsupport.UpstreamTestServer;
import dev.imagegateway.testsupport.UpstreamTestServer.InjectUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** S3 cannot be reached at all: links cannot be made, inline images do not need S3. */
@QuarkusTest
@TestProfile(StorageUnavailableTest.S3Unreachable.class)
@WithTestResource(UpstreamTestServer.class)
class StorageUnavailableTest {

    /** Points the gateway at a loopback port nothing listens on. */
    public static class S3Unreachable implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "images.s3.endpoint", "http://127.0.0.1:" + ClosedPort.any(),
                    "images.s3.path-style", "true",
                    "images.s3.region", "us-east-1",
                    "images.bucket", "nowhere");
        }
    }

    @InjectUpstream
    WireMockServer upstream;

    @BeforeEach
    void resetUpstream() {
        upstream.resetAll();
    }

    @Test
    void url_is503StorageUnavailable() {
        UpstreamStubs.answerWith(upstream, List.of(TestImages.png(8, 8)));
        Response response = Gateway.generate("{\"prompt\":\"otter\"}");
        assertEnvelope(response, 503, "server_error", "storage_unavailable");
        // The upstream generated (and billed) the images: an SDK retry would buy them again.
        assertThat(response.header("x-should-retry")).isEqualTo("false");
    }

    @Test
    void b64Json_doesNotDependOnS3() {
        byte[] png = TestImages.png(8, 8);
        UpstreamStubs.answerWith(upstream, List.of(png));
        Response response = Gateway.generate("{\"prompt\":\"otter\",\"response_format\":\"b64_json\"}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.jsonPath().getString("data[0].b64_json")).isEqualTo(TestImages.base64(png));
    }
}
