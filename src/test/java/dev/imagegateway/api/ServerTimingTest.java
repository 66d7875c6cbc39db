package dev.imagegateway.api;

import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.imagegateway.testsupport.Gateway;
import dev.imagegateway.testsupport.S3TestServer;
import dev.imagegateway.testsupport.TestImages;
import dev.imagegateway.testsupport.UpstreamStreamStubs;
import dev.imagegateway.testsupport.UpstreamStubs;
import dev.imagegateway.testsupport.UpstreamTestServer;
import dev.imagegateway.testsupport.UpstreamTestServer.InjectUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code Server-Timing} names the upstream's time for whole and streamed answers alike (one place records it). */
@QuarkusTest
@WithTestResource(S3TestServer.class)
@WithTestResource(UpstreamTestServer.class)
class ServerTimingTest {

    private static final int UPSTREAM_MILLIS = 400;
    private static final Pattern UPSTREAM = Pattern.compile("upstream;dur=([0-9.]+)");

    @InjectUpstream
    WireMockServer upstream;

    @BeforeEach
    void aSlowUpstream() {
        upstream.resetAll();
        byte[] png = TestImages.png(8, 8);
        upstream.stubFor(post(urlEqualTo(UpstreamStubs.PATH)).willReturn(UpstreamStubs.json(200,
                UpstreamStubs.imagesBody(List.of(png), false)).withFixedDelay(UPSTREAM_MILLIS)));
        upstream.stubFor(post(urlEqualTo(UpstreamStubs.PATH)).withRequestBody(matchingJsonPath("$.stream"))
                .willReturn(UpstreamStreamStubs.sse(UpstreamStreamStubs.stream(List.of(), png))
                        .withFixedDelay(UPSTREAM_MILLIS)));
    }

    @ParameterizedTest
    @ValueSource(booleans = { false, true })
    void upstreamTime_isReported_whetherTheAnswerIsStreamedOrNot(boolean stream) {
        Response response = Gateway.generate("{\"model\":\"gpt-image-2\",\"prompt\":\"otter\",\"stream\":" + stream + "}");

        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        Matcher upstreamTime = UPSTREAM.matcher(String.join(", ", response.headers().getValues("Server-Timing")));
        assertThat(upstreamTime.find()).as("Server-Timing names the upstream").isTrue();
        assertThat(Double.parseDouble(upstreamTime.group(1))).isGreaterThanOrEqualTo(UPSTREAM_MILLIS);
    }
}
