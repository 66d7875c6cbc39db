package dev.imagegateway.lambda;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code events/} files as raw API Gateway events through the Lambda HTTP handler (the mock event
 * server's {@code /_lambda_}), answered as {@code sam local invoke} would print them.
 */
@QuarkusTest
@WithTestResource(S3TestServer.class)
@WithTestResource(UpstreamTestServer.class)
class EventFilesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @InjectUpstream
    WireMockServer upstream;

    @BeforeEach
    void upstreamAnswersWithAnImage() {
        upstream.resetAll();
        UpstreamStubs.answerWith(upstream, List.of(TestImages.png(16, 16)));
    }

    @Test
    void urlEvent_answers200WithAWorkingLink() throws IOException {
        JsonNode answer = invoke(event("http-url.json"));
        assertThat(answer.get("statusCode").asInt()).isEqualTo(200);
        String url = body(answer).at("/data/0/url").asText();
        assertThat(Gateway.download(url).statusCode()).isEqualTo(200);
    }

    @Test
    void b64JsonEvent_answers200WithBase64() throws IOException {
        JsonNode answer = invoke(event("http-b64-json.json"));
        assertThat(answer.get("statusCode").asInt()).isEqualTo(200);
        assertThat(body(answer).at("/data/0/b64_json").asText()).isEqualTo(TestImages.base64(TestImages.png(16, 16)));
    }

    @Test
    void gptImageEvent_answers200WithUsage() throws IOException {
        JsonNode answer = invoke(event("http-gpt-image.json"));
        assertThat(answer.get("statusCode").asInt()).isEqualTo(200);
        assertThat(body(answer).at("/usage/total_tokens").asInt())
                .isEqualTo(UpstreamStubs.usage().get("total_tokens").asInt());
        assertThat(JSON.readTree(upstream.getAllServeEvents().get(0).getRequest().getBodyAsString())
                .get("model").asText()).isEqualTo("gpt-image-1");
    }

    @Test
    void invalidEvent_answers400OnN() throws IOException {
        JsonNode answer = invoke(event("http-invalid.json"));
        assertThat(answer.get("statusCode").asInt()).isEqualTo(400);
        assertThat(body(answer).at("/error/param").asText()).isEqualTo("n");
    }

    @Test
    void unauthenticatedEvent_answers401() throws IOException {
        JsonNode answer = invoke(event("http-unauthenticated.json"));
        assertThat(answer.get("statusCode").asInt()).isEqualTo(401);
        // No key at all: OpenAI's answer has no code (an unknown key would be invalid_api_key).
        assertThat(body(answer).at("/error/code").isNull()).isTrue();
        assertThat(body(answer).at("/error/type").asText()).isEqualTo("invalid_request_error");
    }

    @Test
    void functionUrlStreamEvent_answersAnEventStream_asText() throws IOException {
        byte[] partial = TestImages.png(8, 8);
        byte[] last = TestImages.png(16, 16);
        upstream.resetAll();
        UpstreamStreamStubs.streamWith(upstream, List.of(partial), last);

        JsonNode answer = invoke(event("function-url-stream.json"));

        UpstreamStreamStubs.assertPartialThenCompleted(answer, last);
    }

    @Test
    void noHttpPathReachesTheBatch_apiGatewayAndFunctionUrlEventsCarryingAScheduledEvent_get404() throws IOException {
        for (String name : List.of("api-gateway-scheduled-body.json", "function-url-scheduled-body.json")) {
            try (InputStream in = EventFilesTest.class.getResourceAsStream("/events/" + name)) {
                JsonNode answer = invoke(in.readAllBytes());
                assertThat(answer.get("statusCode").asInt()).as(name).isEqualTo(404);
            }
        }
        // /v1/batches is the Batch API (its own routes, authenticated); none of these paths runs the sweep.
        for (String path : List.of("/batches", "/batch/run", "/_batch")) {
            assertThat(given().header("Authorization", "Bearer " + Gateway.CALLER_KEY).body("{}").post(path)
                    .statusCode()).as(path).isEqualTo(404);
        }
        assertThat(upstream.getAllServeEvents()).isEmpty();
    }

    private static byte[] event(String name) throws IOException {
        return Files.readAllBytes(Path.of("events", name));
    }

    private static JsonNode invoke(byte[] event) throws IOException {
        return JSON.readTree(given().body(event).post("/_lambda_").then().statusCode(200).extract().asByteArray());
    }

    private static JsonNode body(JsonNode answer) throws IOException {
        return JSON.readTree(answer.get("body").asText());
    }
}
