package dev.imagegateway.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
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

/** Retries happen where they cannot double-charge, and nowhere else. */
@QuarkusTest
@WithTestResource(S3TestServer.class)
@WithTestResource(UpstreamTestServer.class)
class UpstreamRetriesTest {

    private static final String REQUEST = "{\"prompt\":\"otter\",\"response_format\":\"b64_json\"}";

    @InjectUpstream
    WireMockServer upstream;

    @BeforeEach
    void resetUpstream() {
        upstream.resetAll();
    }

    private void firstThen(ResponseDefinitionBuilder first, ResponseDefinitionBuilder then) {
        upstream.stubFor(post(urlEqualTo(UpstreamStubs.PATH)).inScenario("flaky").whenScenarioStateIs(STARTED)
                .willReturn(first).willSetStateTo("recovered"));
        upstream.stubFor(post(urlEqualTo(UpstreamStubs.PATH)).inScenario("flaky").whenScenarioStateIs("recovered")
                .willReturn(then));
    }

    private static ResponseDefinitionBuilder images() {
        return UpstreamStubs.json(200, UpstreamStubs.imagesBody(List.of(TestImages.png(8, 8)), false));
    }

    private int upstreamCalls() {
        return upstream.countRequestsMatching(postRequestedFor(urlEqualTo(UpstreamStubs.PATH)).build()).getCount();
    }

    @ParameterizedTest
    @ValueSource(ints = { 429, 502, 503 })
    void transientStatus_isRetried_andTheCallerGetsTheImages(int status) {
        firstThen(UpstreamStubs.json(status, UpstreamStubs.error("server-error")), images());

        Response response = Gateway.generate(REQUEST);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(upstreamCalls()).isEqualTo(2);
    }

    @Test
    void retryAfter_isWaitedFor() {
        firstThen(UpstreamStubs.json(429, UpstreamStubs.error("rate-limit-exceeded"))
                .withHeader("Retry-After", "1"), images());

        long start = System.nanoTime();
        Response response = Gateway.generate(REQUEST);
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(elapsedMillis).isGreaterThanOrEqualTo(1_000);
    }

    @Test
    void persistentTransientFailure_stopsAfterMaxAttempts() {
        UpstreamStubs.answerWith(upstream, 503, UpstreamStubs.error("server-error"));

        Response response = Gateway.generate(REQUEST);

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(upstreamCalls()).isEqualTo(3);
    }

    @Test
    void retryAfterBeyondTheDeadline_isNotWaitedFor_theCallerGets429() {
        upstream.stubFor(post(urlEqualTo(UpstreamStubs.PATH)).willReturn(UpstreamStubs.json(429,
                UpstreamStubs.error("rate-limit-exceeded")).withHeader("Retry-After", "60")));

        long start = System.nanoTime();
        Response response = Gateway.generate(REQUEST);

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.header("Retry-After")).isEqualTo("60");
        assertThat(upstreamCalls()).isEqualTo(1);
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(3_000);
    }

    @ParameterizedTest
    @ValueSource(ints = { 400, 404, 422, 500 })
    void otherErrors_areNeverRetried(int status) {
        firstThen(UpstreamStubs.json(status, UpstreamStubs.errorBody("no", "invalid_request_error", null, "nope")), images());

        Response response = Gateway.generate(REQUEST);

        assertThat(response.statusCode()).isNotEqualTo(200);
        assertThat(upstreamCalls()).isEqualTo(1);
    }

    @Test
    void successfulAnswerBrokenOffMidway_isNotRetried_becauseItWasPaidFor() {
        firstThen(aResponse().withStatus(200).withFault(Fault.MALFORMED_RESPONSE_CHUNK), images());

        Response response = Gateway.generate(REQUEST);

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(upstreamCalls()).isEqualTo(1);
        // The headers said 200 before the body broke: the message says the answer broke off, not that
        // the backend could not be reached.
        assertThat(response.jsonPath().getString("error.message")).contains("broke off");
    }

    @Test
    void connectionDroppedAfterTheRequestWasSent_isNotRetried() {
        firstThen(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER), images());

        Response response = Gateway.generate(REQUEST);

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(upstreamCalls()).isEqualTo(1);
    }

    @Test
    void timeout_isNotRetried() {
        upstream.stubFor(post(urlEqualTo(UpstreamStubs.PATH)).willReturn(images().withFixedDelay(4_000)));

        Response response = Gateway.generate(REQUEST);

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(upstreamCalls()).isEqualTo(1);
    }
}
