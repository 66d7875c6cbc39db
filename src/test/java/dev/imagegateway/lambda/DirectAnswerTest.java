package dev.imagegateway.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.imagegateway.testsupport.HttpEvents;
import dev.imagegateway.testsupport.InvocationContext;
import dev.imagegateway.testsupport.S3TestServer;
import dev.imagegateway.testsupport.TestImages;
import dev.imagegateway.testsupport.UpstreamStubs;
import dev.imagegateway.testsupport.UpstreamTestServer;
import dev.imagegateway.testsupport.UpstreamTestServer.InjectUpstream;
import io.quarkus.amazon.lambda.runtime.AmazonLambdaRecorder;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A whole generation's body is written past the Lambda HTTP bridge ({@link DirectAnswer}): the function's
 * answer must be the one the bridge alone gives for the same event, status, headers and body, with a
 * correct {@code content-length}, and every other answer must stay the bridge's own.
 */
@QuarkusTest
@WithTestResource(S3TestServer.class)
@WithTestResource(UpstreamTestServer.class)
class DirectAnswerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Headers whose values differ from one request to the next. */
    private static final Set<String> PER_REQUEST = Set.of("x-request-id", "server-timing");

    @InjectUpstream
    WireMockServer upstream;

    @BeforeEach
    void reset() {
        upstream.resetAll();
    }

    @Test
    void b64JsonAnswer_isTheBridgesAnswer_withTheBodyWrittenDirectly() throws IOException {
        // A revised prompt with everything a JSON string must escape, and text beyond ASCII.
        ObjectNode answer = (ObjectNode) JSON.readTree(UpstreamStubs.imagesBody(
                List.of(TestImages.png(8, 8), TestImages.png(16, 16)), false));
        answer.withArray("data").forEach(item -> ((ObjectNode) item).put("revised_prompt",
                "a \"quoted\" otter\\ with\nnew lines, a tab\t, \u0001, caf\u00e9 and \ud83e\udda6"));
        UpstreamStubs.answerWith(upstream, 200, answer.toString());
        byte[] event = HttpEvents.sample("http-b64-json.json")
                .body("{\"model\":\"dall-e-2\",\"prompt\":\"otter\",\"n\":2,\"response_format\":\"b64_json\"}").bytes();

        JsonNode direct = JSON.readTree(throughTheHandler(event));
        JsonNode bridged = JSON.readTree(throughTheBridgeOnly(event));

        assertThat(direct.path("statusCode").asInt()).as(direct.toString()).isEqualTo(200);
        assertSameAnswer(direct, bridged);
        assertThat(heldBy(event)).as("the route handed its body over").isNotNull();
        JsonNode body = JSON.readTree(direct.path("body").asText());
        assertThat(body.at("/data/1/revised_prompt").asText()).isEqualTo(answer.at("/data/1/revised_prompt").asText());
        assertThat(body.at("/data/0/b64_json").asText()).isEqualTo(answer.at("/data/0/b64_json").asText());
    }

    @Test
    void urlAnswer_isTheBridgesAnswer_withTheBodyWrittenDirectly() throws IOException {
        UpstreamStubs.answerWith(upstream, List.of(TestImages.png(8, 8)));
        byte[] event = HttpEvents.sample("http-url.json").bytes();

        JsonNode direct = JSON.readTree(throughTheHandler(event));
        JsonNode bridged = JSON.readTree(throughTheBridgeOnly(event));

        assertThat(direct.path("statusCode").asInt()).as(direct.toString()).isEqualTo(200);
        assertThat(heldBy(event)).as("the route handed its body over").isNotNull();
        assertThat(headerNames(direct)).isEqualTo(headerNames(bridged));
        assertThat(JSON.readTree(direct.path("body").asText()).at("/data/0/url").asText()).startsWith("http");
        assertThat(header(direct, "content-length"))
                .isEqualTo(Integer.toString(direct.path("body").asText().getBytes(StandardCharsets.UTF_8).length));
    }

    @Test
    void errorAnswer_isTheBridgesOwn_byteForByteButForItsId() throws IOException {
        UpstreamStubs.answerWith(upstream, 500, UpstreamStubs.error("server-error"));
        byte[] event = HttpEvents.sample("http-b64-json.json").bytes();

        JsonNode direct = JSON.readTree(throughTheHandler(event));
        JsonNode bridged = JSON.readTree(throughTheBridgeOnly(event));

        assertThat(direct.path("statusCode").asInt()).isGreaterThanOrEqualTo(500);
        assertSameAnswer(direct, bridged);
    }

    @Test
    void answerOfAnotherRoute_isTheBridgesOwn() throws IOException {
        byte[] event = HttpEvents.sample("http-b64-json.json").method("GET").path("/v1/models").body("").bytes();

        JsonNode direct = JSON.readTree(throughTheHandler(event));
        JsonNode bridged = JSON.readTree(throughTheBridgeOnly(event));

        assertThat(direct.path("statusCode").asInt()).isEqualTo(200);
        assertSameAnswer(direct, bridged);
        assertThat(heldBy(event)).isNull();
    }

    private static void assertSameAnswer(JsonNode direct, JsonNode bridged) throws IOException {
        assertThat(direct.path("statusCode")).isEqualTo(bridged.path("statusCode"));
        assertThat(direct.path("isBase64Encoded")).isEqualTo(bridged.path("isBase64Encoded"));
        assertThat(without(direct.path("headers"))).isEqualTo(without(bridged.path("headers")));
        assertThat(headerNames(direct)).isEqualTo(headerNames(bridged));
        assertThat(direct.path("multiValueHeaders")).isEqualTo(bridged.path("multiValueHeaders"));
        assertThat(direct.path("cookies")).isEqualTo(bridged.path("cookies"));
        String body = direct.path("body").asText();
        assertThat(readIfJson(body)).isEqualTo(readIfJson(bridged.path("body").asText()));
        assertThat(header(direct, "content-length"))
                .isEqualTo(Integer.toString(body.getBytes(StandardCharsets.UTF_8).length));
    }

    private static JsonNode readIfJson(String body) throws IOException {
        return body.startsWith("{") ? JSON.readTree(body) : JSON.getNodeFactory().textNode(body);
    }

    private static ObjectNode without(JsonNode headers) {
        ObjectNode copy = ((ObjectNode) headers).deepCopy();
        List<String> names = new ArrayList<>();
        copy.fieldNames().forEachRemaining(names::add);
        names.stream().filter(name -> PER_REQUEST.contains(name.toLowerCase(Locale.ROOT))).forEach(copy::remove);
        return copy;
    }

    private static List<String> headerNames(JsonNode answer) {
        List<String> names = new ArrayList<>();
        answer.path("headers").fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String header(JsonNode answer, String name) {
        for (var fields = answer.path("headers").fields(); fields.hasNext();) {
            var field = fields.next();
            if (field.getKey().equalsIgnoreCase(name)) {
                return field.getValue().asText();
            }
        }
        return null;
    }

    /** What the route held back when served with a context that can hold a body. */
    private static byte[] heldBy(byte[] event) throws IOException {
        DirectAnswerContext context = new DirectAnswerContext(new InvocationContext());
        DirectAnswer.serve(event, new ByteArrayOutputStream(), context);
        return context.body();
    }

    private static byte[] throughTheHandler(byte[] event) throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        LambdaEntry.dispatch(event, output, new InvocationContext());
        return output.toByteArray();
    }

    /** What the stock bridge answers: the same event, the runtime's own context. */
    private static byte[] throughTheBridgeOnly(byte[] event) throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        AmazonLambdaRecorder.handle(new ByteArrayInputStream(event), output, new InvocationContext());
        return output.toByteArray();
    }
}
