package dev.imagegateway.api;

import static dev.imagegateway.api.RequestErrorsTest.assertEnvelope;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegateway.testsupport.ClosedPort;
import dev.imagegateway.testsupport.Gateway;
import dev.imagegateway.testsupport.S3TestServer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The upstream cannot be reached at all: nothing was bought, so the caller's SDK may retry. */
@QuarkusTest
@TestProfile(UpstreamUnreachableTest.UpstreamUnreachable.class)
@WithTestResource(S3TestServer.class)
class UpstreamUnreachableTest {

    /** Points the gateway's upstream at a loopback port nothing listens on. */
    public static class UpstreamUnreachable implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "images.upstream.base-url", "http://127.0.0.1:" + ClosedPort.any(),
                    "images.upstream.api-key", "sk-upstream-unreachable");
        }
    }

    /** Streamed ({@code url}) or read whole by the client ({@code b64_json}): two ways of calling, one answer. */
    @ParameterizedTest
    @ValueSource(strings = { "url", "b64_json" })
    void connectionRefused_is502Unavailable_withShouldRetryTrue(String format) {
        Response response = Gateway.generate("{\"prompt\":\"otter\",\"response_format\":\"" + format + "\"}");

        assertEnvelope(response, 502, "server_error", "upstream_unavailable");
        assertThat(response.header("x-should-retry")).isEqualTo("true");
        assertThat(response.asString()).doesNotContain("sk-upstream-unreachable", "127.0.0.1");
    }
}
