package dev.imagegateway.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code x-should-retry} on every 429 and 5xx: true where nothing was bought and a retry can succeed,
 * false where the upstream may have generated (and billed) or a retry cannot succeed; never on a 4xx
 * the caller must change. And the upstream's error object, passed through whole.
 */
@QuarkusTest
@WithTestResource(S3TestServer.class)
@WithTestResource(UpstreamTestServer.class)
class RetryHeaderTest {

    private static final String B64 = "{\"prompt\":\"otter\",\"response_format\":\"b64_json\"}";

    @InjectUpstream
    WireMockServer upstream;

    @BeforeEach
    void resetUpstream() {
        upstream.resetAll();
    }

    @ParameterizedTest
    @ValueSource(ints = { 502, 503 })
    void upstreamFrontRefusing_nothingBought_is502WithShouldRetryTrue(int status) {
        UpstreamStubs.answerWith(upstream, status, UpstreamStubs.error("server-error"));

        assertShouldRetry(Gateway.generate(B64), 502, "true");
    }

    @Test
    void upstream504_itsFrontPassedTheRequestOn_isShouldRetryFalse() {
        UpstreamStubs.answerWith(upstream, 504, UpstreamStubs.error("server-error"));

        assertShouldRetry(Gateway.generate(B64), 504, "false");
    }

    @Test
    void upstream500_mayHaveGenerated_isShouldRetryFalse() {
        UpstreamStubs.answerWith(upstream, 500, UpstreamStubs.error("server-error"));

        assertShouldRetry(Gateway.generate(B64), 502, "false");
    }

    @Test
    void connectionDroppedAfterTheRequestWasSent_isShouldRetryFalse() {
        upstream.stubFor(post(urlEqualTo(UpstreamStubs.PATH)).willReturn(aResponse()
                .withFault(Fault.CONNECTION_RESET_BY_PEER)));

        assertShouldRetry(Gateway.generate(B64), 502, "false");
    }

    @Test
    void timeout_isShouldRetryFalse() {
        upstream.stubFor(post(urlEqualTo(UpstreamStubs.PATH)).willReturn(
                UpstreamStubs.json(200, UpstreamStubs.imagesBody(List.of(TestImages.png(8, 8)), false))
                        .withFixedDelay(4_500)));

        assertShouldRetry(Gateway.generate(B64), 504, "false");
    }

    @Test
    void answerThatIsNoImage_isShouldRetryFalse() {
        UpstreamStubs.answerWith(upstream, 200, "{\"data\":[{\"b64_json\":\"bm90IGFuIGltYWdl\"}]}");

        assertShouldRetry(Gateway.generate(B64), 502, "false");
    }

    @Test
    void rateLimit_keepsTheUpstreamsTypeAndCode_andIsShouldRetryTrue_afterTheGatewaysOwnAttempts() {
        UpstreamStubs.answerWith(upstream, 429, UpstreamStubs.error("rate-limit-exceeded"));

        Response response = Gateway.generate(B64);

        assertShouldRetry(response, 429, "true");
        assertThat(response.jsonPath().getString("error.type")).isEqualTo("requests");
        assertThat(response.jsonPath().getString("error.code")).isEqualTo("rate_limit_exceeded");
        upstream.verify(3, postRequestedFor(urlEqualTo(UpstreamStubs.PATH)));
    }

    @Test
    void insufficientQuota_isNeverRetried_byTheGatewayOrTheCaller() {
        UpstreamStubs.answerWith(upstream, 429, UpstreamStubs.error("insufficient-quota"));

        Response response = Gateway.generate(B64);

        assertShouldRetry(response, 429, "false");
        assertThat(response.jsonPath().getString("error.type")).isEqualTo("insufficient_quota");
        upstream.verify(1, postRequestedFor(urlEqualTo(UpstreamStubs.PATH)));
    }

    @Test
    void requestErrors_carryNoRetryAdvice() {
        Response response = Gateway.generate("{\"prompt\":\"otter\",\"n\":11}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.header(OpenAiErrorMapper.SHOULD_RETRY)).isNull();
    }

    @Test
    void upstreamsErrorObject_isPassedThroughWhole_moderationDetailsIncluded() {
        UpstreamStubs.answerWith(upstream, 400, UpstreamStubs.error("moderation-blocked"));

        Response response = Gateway.generate(B64);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.jsonPath().getString("error.code")).isEqualTo("moderation_blocked");
        assertThat(response.jsonPath().getString("error.type")).isEqualTo("image_generation_user_error");
        assertThat(response.jsonPath().getList("error.moderation_details.categories")).containsExactly("violence");
        assertThat(response.jsonPath().getBoolean("error.moderation_details.flagged")).isTrue();
        assertThat(response.jsonPath().getMap("error")).containsKeys("message", "type", "param", "code");
    }

    private static void assertShouldRetry(Response response, int status, String shouldRetry) {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(status);
        assertThat(response.header(OpenAiErrorMapper.SHOULD_RETRY)).isEqualTo(shouldRetry);
        assertThat(response.header("x-request-id")).isNotBlank();
    }
}
