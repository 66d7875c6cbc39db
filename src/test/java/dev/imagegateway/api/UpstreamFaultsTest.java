package dev.imagegateway.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.imagegateway.api.RequestErrorsTest.assertEnvelope;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
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
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.s3.S3Client;

/** Every way the upstream can fail, and what the caller gets for it. */
@QuarkusTest
@WithTestResource(S3TestServer.class)
@WithTestResource(UpstreamTestServer.class)
class UpstreamFaultsTest {

    private static final String DALL_E = "{\"prompt\":\"otter\"}";

    @InjectUpstream
    WireMockServer upstream;

    @InjectS3
    S3Client s3;

    @BeforeEach
    void resetUpstream() {
        upstream.resetAll();
    }

    @ParameterizedTest
    @ValueSource(ints = { 500, 502, 503 })
    void upstream5xx_is502Unavailable(int status) {
        UpstreamStubs.answerWith(upstream, status, UpstreamStubs.error("server-error"));
        assertEnvelope(Gateway.generate(DALL_E), 502, "server_error", "upstream_unavailable");
    }

    @Test
    void upstream504_isATimeoutAfterItTookTheRequest_notRetried() {
        UpstreamStubs.answerWith(upstream, 504, UpstreamStubs.error("server-error"));

        assertEnvelope(Gateway.generate(DALL_E), 504, "server_error", "upstream_timeout");
        upstream.verify(1, com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlEqualTo(UpstreamStubs.PATH)));
    }

    @Test
    void slowUpstream_is504Timeout() {
        upstream.stubFor(post(urlEqualTo(UpstreamStubs.PATH)).willReturn(
                UpstreamStubs.json(200, UpstreamStubs.imagesBody(List.of(TestImages.png(8, 8)), false))
                        .withFixedDelay(4_500)));
        assertEnvelope(Gateway.generate(DALL_E), 504, "server_error", "upstream_timeout");
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = { "CONNECTION_RESET_BY_PEER", "EMPTY_RESPONSE", "MALFORMED_RESPONSE_CHUNK",
            "RANDOM_DATA_THEN_CLOSE" })
    void droppedConnection_is502Unavailable(Fault fault) {
        upstream.stubFor(post(urlEqualTo(UpstreamStubs.PATH)).willReturn(aResponse().withFault(fault)));
        Response response = Gateway.generate(DALL_E);
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.jsonPath().getString("error.type")).isEqualTo("server_error");
        assertThat(response.jsonPath().getString("error.code")).isIn("upstream_unavailable", "upstream_invalid_response");
    }

    /** The same faults for an answer the client reads whole ({@code b64_json}) rather than streams. */
    @ParameterizedTest
    @EnumSource(value = Fault.class, names = { "CONNECTION_RESET_BY_PEER", "EMPTY_RESPONSE", "MALFORMED_RESPONSE_CHUNK",
            "RANDOM_DATA_THEN_CLOSE" })
    void droppedConnection_ofAnAnswerReadWhole_is502Unavailable_andTriedOnce(Fault fault) {
        upstream.stubFor(post(urlEqualTo(UpstreamStubs.PATH)).willReturn(aResponse().withFault(fault)));
        Response response = Gateway.generate("{\"prompt\":\"otter\",\"response_format\":\"b64_json\"}");
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.jsonPath().getString("error.type")).isEqualTo("server_error");
        assertThat(response.jsonPath().getString("error.code")).isIn("upstream_unavailable", "upstream_invalid_response");
        upstream.verify(1, com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlEqualTo(UpstreamStubs.PATH)));
    }

    /** Streamed ({@code url}) or read whole by the client ({@code b64_json}): the wait ends at the deadline. */
    @ParameterizedTest
    @ValueSource(strings = { "url", "b64_json" })
    void answerTricklingPastTheDeadline_isCutOff_with504(String format) {
        upstream.stubFor(post(urlEqualTo(UpstreamStubs.PATH)).willReturn(
                UpstreamStubs.json(200, UpstreamStubs.imagesBody(List.of(TestImages.png(64, 64)), false))
                        .withChunkedDribbleDelay(40, 6_000)));
        long started = System.nanoTime();
        assertEnvelope(Gateway.generate("{\"prompt\":\"otter\",\"response_format\":\"" + format + "\"}"), 504,
                "server_error", "upstream_timeout");
        assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(5_500);
    }

    @Test
    void answerThatGoesBadAfterTheFirstImage_is502_andLeavesNothingInTheBucket() {
        String body = "{\"created\":1,\"data\":[{\"b64_json\":\"" + TestImages.base64(TestImages.png(8, 8))
                + "\"},{\"b64_json\":\"@@@not base64@@@\"}]}";
        UpstreamStubs.answerWith(upstream, 200, body);

        Response response = Gateway.generate("{\"prompt\":\"otters\",\"n\":2}");

        assertEnvelope(response, 502, "server_error", "upstream_invalid_response");
        String requestId = response.header("x-request-id");
        // The first image's upload may still be in flight when the 502 goes out; it is removed as soon as
        // it lands (ImageStore.Uploads.abandon), so the bucket is looked at until then, a few seconds at most.
        long end = System.nanoTime() + 5_000_000_000L;
        while (stored(requestId) && System.nanoTime() < end) {
            Thread.onSpinWait();
        }
        assertThat(stored(requestId)).as("an image of request " + requestId + " left in the bucket").isFalse();
    }

    private boolean stored(String requestId) {
        return s3.listObjectsV2(list -> list.bucket(S3TestServer.BUCKET).prefix("images/")).contents().stream()
                .anyMatch(object -> object.key().contains(requestId));
    }

    @Test
    void base64Answer_corruptAfterItsFirstBytes_is502_notPassedThrough() {
        String valid = TestImages.base64(TestImages.png(32, 32));
        String corrupt = valid.substring(0, 40) + "!!not base64!!" + valid.substring(54);
        UpstreamStubs.answerWith(upstream, 200, "{\"created\":1,\"data\":[{\"b64_json\":\"" + corrupt + "\"}]}");
        Response response = Gateway.generate("{\"prompt\":\"otter\",\"response_format\":\"b64_json\"}");
        assertEnvelope(response, 502, "server_error", "upstream_invalid_response");
    }

    @Test
    void unreadableJson_is502InvalidResponse() {
        UpstreamStubs.answerWith(upstream, 200, "{\"data\": [ {\"b64_json\": ");
        assertEnvelope(Gateway.generate(DALL_E), 502, "server_error", "upstream_invalid_response");
    }

    @Test
    void answerWithoutImages_is502InvalidResponse() {
        UpstreamStubs.answerWith(upstream, 200, "{\"created\":1,\"data\":[]}");
        assertEnvelope(Gateway.generate(DALL_E), 502, "server_error", "upstream_invalid_response");
    }

    @Test
    void invalidBase64_is502InvalidResponse() {
        UpstreamStubs.answerWith(upstream, 200, "{\"created\":1,\"data\":[{\"b64_json\":\"***not base64***\"}]}");
        assertEnvelope(Gateway.generate(DALL_E), 502, "server_error", "upstream_invalid_response");
    }

    @Test
    void bytesThatAreNotAnImage_are502InvalidResponse() {
        UpstreamStubs.answerWith(upstream, List.of("<html>sorry</html>".getBytes(StandardCharsets.UTF_8)));
        assertEnvelope(Gateway.generate(DALL_E), 502, "server_error", "upstream_invalid_response");
    }

    @Test
    void imageOfAnotherTypeThanAskedFor_is502InvalidResponse() {
        UpstreamStubs.answerWith(upstream, List.of(TestImages.png(8, 8)));
        Response response = Gateway.generate("{\"model\":\"gpt-image-1\",\"prompt\":\"x\",\"output_format\":\"jpeg\"}");
        assertEnvelope(response, 502, "server_error", "upstream_invalid_response");
    }

    @Test
    void contentPolicyRejection_isPassedThrough() {
        UpstreamStubs.answerWith(upstream, 400, UpstreamStubs.error("content-policy-violation"));
        Response response = Gateway.generate(DALL_E);
        assertEnvelope(response, 400, "invalid_request_error", "content_policy_violation");
        assertThat(response.jsonPath().getString("error.message")).contains("safety system");
        assertThat(response.jsonPath().getString("error.param")).isEqualTo("prompt");
    }

    @Test
    void modelNotFound_isPassedThroughUnchanged() {
        UpstreamStubs.answerWith(upstream, 404, UpstreamStubs.errorBody(
                "The model `dall-e-2` does not exist.", "invalid_request_error", null, "model_not_found"));
        Response response = Gateway.generate(DALL_E);
        assertEnvelope(response, 404, "invalid_request_error", "model_not_found");
        assertThat(response.jsonPath().getString("error.message")).isEqualTo("The model `dall-e-2` does not exist.");
    }

    @Test
    void rateLimit_is429WithRetryAfter() {
        upstream.stubFor(post(urlEqualTo(UpstreamStubs.PATH)).willReturn(UpstreamStubs.json(429,
                UpstreamStubs.error("rate-limit-exceeded")).withHeader("Retry-After", "20")));
        Response response = Gateway.generate(DALL_E);
        // OpenAI's 429 type says which limit it is; it is passed through, not renamed.
        assertEnvelope(response, 429, "requests", "rate_limit_exceeded");
        assertThat(response.header("Retry-After")).isEqualTo("20");
    }

    @Test
    void upstreamRefusingOurKey_is502_andNeverEchoesTheKey() {
        UpstreamStubs.answerWith(upstream, 401, UpstreamStubs.errorBody(
                "Incorrect API key provided: " + UpstreamTestServer.UPSTREAM_KEY, "invalid_request_error", null,
                "invalid_api_key"));
        Response response = Gateway.generate(DALL_E);
        assertEnvelope(response, 502, "server_error", "upstream_unavailable");
        assertThat(response.asString()).doesNotContain(UpstreamTestServer.UPSTREAM_KEY);
    }

    @Test
    void keysInPassedThroughMessages_areRedacted() {
        UpstreamStubs.answerWith(upstream, 400, UpstreamStubs.errorBody(
                "Bad request from key sk-proj-abcdef123456 for https://b.s3.amazonaws.com/k?X-Amz-Signature=abc123",
                "invalid_request_error", null, "bad"));
        String body = Gateway.generate(DALL_E).asString();
        assertThat(body).doesNotContain("abcdef123456", "abc123", "X-Amz-Signature=abc");
        assertThat(body).contains("sk-[removed]", "[signed URL removed]");
    }

    @Test
    void upstreamErrorWithoutEnvelope_stillGetsOurs() {
        UpstreamStubs.answerWith(upstream, 400, "<html>bad</html>");
        Response response = Gateway.generate(DALL_E);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.jsonPath().getString("error.type")).isEqualTo("invalid_request_error");
        assertThat(response.jsonPath().getString("error.message")).contains("status 400");
    }
}
