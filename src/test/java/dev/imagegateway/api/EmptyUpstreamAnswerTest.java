package dev.imagegateway.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.imagegateway.testsupport.Gateway;
import dev.imagegateway.testsupport.S3TestServer;
import dev.imagegateway.testsupport.UpstreamStubs;
import dev.imagegateway.testsupport.UpstreamTestServer;
import dev.imagegateway.testsupport.UpstreamTestServer.InjectUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A success without a body is an invalid answer, the same in both modes, never "unavailable" from a catch-all. */
@QuarkusTest
@WithTestResource(S3TestServer.class)
@WithTestResource(UpstreamTestServer.class)
class EmptyUpstreamAnswerTest {

    @InjectUpstream
    WireMockServer upstream;

    @ParameterizedTest
    @ValueSource(strings = { "b64_json", "url" })
    void upstream204_is502InvalidResponse_inEitherResponseFormat(String format) {
        upstream.resetAll();
        upstream.stubFor(post(urlEqualTo(UpstreamStubs.PATH)).willReturn(aResponse().withStatus(204)));

        Response response = Gateway.generate("{\"prompt\":\"otter\",\"response_format\":\"" + format + "\"}");

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.jsonPath().getString("error.code")).isEqualTo("upstream_invalid_response");
        assertThat(response.jsonPath().getString("error.message")).contains("no content");
    }
}
