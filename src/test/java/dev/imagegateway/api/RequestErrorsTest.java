package dev.imagegateway.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.imagegateway.testsupport.Gateway;
import dev.imagegateway.testsupport.S3TestServer;
import dev.imagegateway.testsupport.UpstreamStubs;
import dev.imagegateway.testsupport.UpstreamTestServer;
import dev.imagegateway.testsupport.UpstreamTestServer.InjectUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract's request table through the Lambda handler: every way a caller can get a request wrong
 * is refused without reaching the upstream, and every body the rules accept reaches it exactly once.
 */
@QuarkusTest
@WithTestResource(S3TestServer.class)
@WithTestResource(UpstreamTestServer.class)
class RequestErrorsTest {

    @InjectUpstream
    WireMockServer upstream;

    @BeforeEach
    void resetUpstream() {
        upstream.resetAll();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.imagegateway.generation.ContractCases#invalid")
    void failingCase_is400Envelope_andNeverReachesUpstream(String name, String body, String type, String param,
            String code) {
        Response response = Gateway.generate(body);

        assertEnvelope(response, 400, type, code);
        assertThat(response.jsonPath().getString("error.param")).isEqualTo(param);
        assertThat(upstream.getAllServeEvents()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.imagegateway.generation.ContractCases#valid")
    void passingCase_is200_andReachesUpstreamOnce(String name, String body) {
        UpstreamStubs.answerInTheRequestedFormat(upstream);

        Response response = Gateway.generate(body);

        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        assertThat(response.jsonPath().getList("data")).hasSize(1);
        assertThat(upstream.getAllServeEvents()).hasSize(1);
    }

    @Test
    void invalidUtf8_isA400_neverA5xx() {
        // The Lambda event carries the body as a string, so the handler may already have replaced the bad
        // bytes with U+FFFD; either way the size is not one dall-e-2 draws. RequestReaderTest covers raw bytes.
        byte[] body = "{\"prompt\":\"x\",\"size\":\"1024x10?\"}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        body[body.length - 4] = (byte) 0xC3;
        Response response = given().header("Authorization", "Bearer " + Gateway.CALLER_KEY)
                .contentType(ContentType.JSON).body(body).post(Gateway.PATH);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(upstream.getAllServeEvents()).isEmpty();
    }

    @Test
    void missingKey_is401_withNoCode() {
        Response response = given().contentType(ContentType.JSON).body("{\"prompt\":\"x\"}").post(Gateway.PATH);
        assertEnvelope(response, 401, "invalid_request_error", null);
        assertThat(upstream.getAllServeEvents()).isEmpty();
    }

    @Test
    void unknownKey_is401_andTheKeyIsNotEchoed() {
        Response response = given().header("Authorization", "Bearer sk-gateway-not-a-real-key")
                .contentType(ContentType.JSON).body("{\"prompt\":\"x\"}").post(Gateway.PATH);
        assertEnvelope(response, 401, "invalid_request_error", "invalid_api_key");
        assertThat(response.asString()).doesNotContain("not-a-real-key");
    }

    @Test
    void nonBearerScheme_is401_asAMissingKey() {
        Response response = given().header("Authorization", "Basic " + Gateway.CALLER_KEY)
                .contentType(ContentType.JSON).body("{\"prompt\":\"x\"}").post(Gateway.PATH);
        assertEnvelope(response, 401, "invalid_request_error", null);
    }

    @Test
    void bearerSchemeIsCaseInsensitive() {
        Response response = given().header("Authorization", "bearer " + Gateway.CALLER_KEY)
                .contentType(ContentType.JSON).body("{\"prompt\":\"\"}").post(Gateway.PATH);
        assertEnvelope(response, 400, "invalid_request_error", "empty_string");
    }

    @Test
    void unknownPath_is404Envelope_namingMethodAndPath_withNoCode() {
        Response response = given().header("Authorization", "Bearer " + Gateway.CALLER_KEY)
                .contentType(ContentType.JSON).body("{}").post("/v1/images/edits-that-do-not-exist");
        assertEnvelope(response, 404, "invalid_request_error", null);
        assertThat(response.jsonPath().getString("error.message"))
                .isEqualTo("Invalid URL (POST /v1/images/edits-that-do-not-exist)");
    }

    @Test
    void wrongMethod_is405Envelope_namingMethodAndPath_withNoCode() {
        Response response = given().header("Authorization", "Bearer " + Gateway.CALLER_KEY).get(Gateway.PATH);
        assertEnvelope(response, 405, "invalid_request_error", null);
        assertThat(response.jsonPath().getString("error.message")).isEqualTo("Invalid URL (GET /v1/images/generations)");
    }

    @Test
    void bodyOverTheLimit_is413RequestTooLarge() {
        String huge = "{\"prompt\":\"" + "a".repeat(1_100_000) + "\"}";
        Response response = Gateway.generate(huge);
        assertEnvelope(response, 413, "invalid_request_error", "request_too_large");
        assertThat(upstream.getAllServeEvents()).isEmpty();
    }

    static void assertEnvelope(Response response, int status, String type, String code) {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/json");
        assertThat(response.header("x-request-id")).isNotBlank();
        assertThat(response.jsonPath().getString("error.type")).isEqualTo(type);
        assertThat(response.jsonPath().getString("error.code")).isEqualTo(code);
        assertThat(response.jsonPath().getString("error.message")).isNotBlank();
        assertThat(response.jsonPath().getMap("error")).containsKeys("message", "type", "param", "code");
        assertThat(response.asString()).doesNotContain("at dev.imagegateway", "Exception");
    }
}
