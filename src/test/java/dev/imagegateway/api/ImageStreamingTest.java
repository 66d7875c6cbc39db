package dev.imagegateway.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static dev.imagegateway.api.RequestErrorsTest.assertEnvelope;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.imagegateway.testsupport.Fixtures;
import dev.imagegateway.testsupport.Gateway;
import dev.imagegateway.testsupport.S3TestServer;
import dev.imagegateway.testsupport.TestImages;
import dev.imagegateway.testsupport.UpstreamStreamStubs;
import dev.imagegateway.testsupport.UpstreamStreamStubs.Event;
import dev.imagegateway.testsupport.UpstreamStubs;
import dev.imagegateway.testsupport.UpstreamTestServer;
import dev.imagegateway.testsupport.UpstreamTestServer.InjectUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code stream=true} through the Lambda handler against an upstream that streams real SSE: what is
 * relayed, what is asked upstream, and how every way a stream can fail ends.
 */
@QuarkusTest
@WithTestResource(S3TestServer.class)
@WithTestResource(UpstreamTestServer.class)
class ImageStreamingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STREAM_B64 = "{\"model\":\"gpt-image-1\",\"prompt\":\"otter\",\"stream\":true,\"partial_images\":2}";

    @InjectUpstream
    WireMockServer upstream;

    @BeforeEach
    void resetUpstream() {
        upstream.resetAll();
    }

    @Test
    void b64Stream_relaysPartialsThenCompleted_asOpenAiEvents() {
        byte[] first = TestImages.png(8, 8);
        byte[] second = TestImages.png(16, 16);
        byte[] last = TestImages.png(32, 32);
        UpstreamStreamStubs.streamWith(upstream, List.of(first, second), last);

        Response response = Gateway.generate(STREAM_B64);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("text/event-stream");
        assertThat(response.header("x-request-id")).isNotBlank();
        List<Event> events = UpstreamStreamStubs.read(response.asString());
        assertThat(events).extracting(Event::name).containsExactly(UpstreamStreamStubs.PARTIAL,
                UpstreamStreamStubs.PARTIAL, UpstreamStreamStubs.COMPLETED);
        for (Event event : events) {
            assertThat(event.data().get("type").asText()).isEqualTo(event.name());
            assertThat(event.data().get("size").asText()).isEqualTo("1024x1024");
            assertThat(event.data().get("quality").asText()).isEqualTo("high");
            assertThat(event.data().get("background").asText()).isEqualTo("opaque");
            assertThat(event.data().get("output_format").asText()).isEqualTo("png");
            assertThat(event.data().get("created_at").asLong()).isEqualTo(1732579200L);
            assertThat(event.data().has("url")).isFalse();
        }
        assertThat(events.get(0).data().get("b64_json").asText()).isEqualTo(TestImages.base64(first));
        assertThat(events.get(0).data().get("partial_image_index").asInt()).isEqualTo(0);
        assertThat(events.get(1).data().get("partial_image_index").asInt()).isEqualTo(1);
        assertThat(events.get(0).data().has("usage")).isFalse();
        JsonNode completed = events.get(2).data();
        assertThat(completed.get("b64_json").asText()).isEqualTo(TestImages.base64(last));
        assertThat(completed.has("partial_image_index")).isFalse();
        JsonNode usage = UpstreamStubs.usage();
        assertThat(completed.at("/usage/total_tokens").asInt()).isEqualTo(usage.get("total_tokens").asInt());
        assertThat(completed.at("/usage/input_tokens_details/text_tokens").asInt())
                .isEqualTo(usage.at("/input_tokens_details/text_tokens").asInt());
    }

    @Test
    void upstreamIsAskedToStream_withPartialImages_andNoResponseFormat() throws Exception {
        UpstreamStreamStubs.streamWith(upstream, List.of(), TestImages.png(8, 8));

        Gateway.generate("{\"model\":\"gpt-image-2\",\"prompt\":\"otter\",\"stream\":true,\"partial_images\":3,"
                + "\"response_format\":\"url\",\"quality\":\"high\",\"size\":\"2048x1152\"}");

        assertThat(upstream.getAllServeEvents()).hasSize(1);
        var request = upstream.getAllServeEvents().get(0).getRequest();
        JsonNode sent = JSON.readTree(request.getBodyAsString());
        assertThat(sent.get("stream").asBoolean()).isTrue();
        assertThat(sent.get("partial_images").asInt()).isEqualTo(3);
        assertThat(sent.get("model").asText()).isEqualTo("gpt-image-2");
        assertThat(sent.get("quality").asText()).isEqualTo("high");
        assertThat(sent.get("size").asText()).isEqualTo("2048x1152");
        assertThat(sent.has("response_format")).isFalse();
        assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + UpstreamTestServer.UPSTREAM_KEY);
        assertThat(request.getHeader("Accept")).isEqualTo("text/event-stream");
    }

    @Test
    void streamWithoutPartialImages_asksForNone() throws Exception {
        UpstreamStreamStubs.streamWith(upstream, List.of(), TestImages.png(8, 8));

        Response response = Gateway.generate("{\"model\":\"gpt-image-1\",\"prompt\":\"otter\",\"stream\":true}");

        assertThat(UpstreamStreamStubs.read(response.asString())).extracting(Event::name)
                .containsExactly(UpstreamStreamStubs.COMPLETED);
        JsonNode sent = JSON.readTree(upstream.getAllServeEvents().get(0).getRequest().getBodyAsString());
        assertThat(sent.get("partial_images").asInt()).isZero();
    }

    @Test
    void urlStream_completedCarriesALinkToTheStoredImage_insteadOfBase64() {
        byte[] partial = TestImages.png(8, 8);
        byte[] last = TestImages.png(48, 48);
        UpstreamStreamStubs.streamWith(upstream, List.of(partial), last);

        Response response = Gateway.generate("{\"model\":\"gpt-image-1\",\"prompt\":\"otter\",\"stream\":true,"
                + "\"partial_images\":1,\"response_format\":\"url\"}");

        List<Event> events = UpstreamStreamStubs.read(response.asString());
        assertThat(events).extracting(Event::name).containsExactly(UpstreamStreamStubs.PARTIAL,
                UpstreamStreamStubs.COMPLETED);
        assertThat(events.get(0).data().get("b64_json").asText()).isEqualTo(TestImages.base64(partial));
        JsonNode completed = events.get(1).data();
        assertThat(completed.has("b64_json")).isFalse();
        String url = completed.get("url").asText();
        assertThat(url).contains("X-Amz-Expires=3600").contains("/images/");
        assertThat(Gateway.download(url).body()).isEqualTo(last);
        assertThat(completed.at("/usage/total_tokens").asInt())
                .isEqualTo(UpstreamStubs.usage().get("total_tokens").asInt());
    }

    @Test
    void acceptTextEventStream_isServed() {
        UpstreamStreamStubs.streamWith(upstream, List.of(), TestImages.png(8, 8));

        Response response = given().header("Authorization", "Bearer " + Gateway.CALLER_KEY)
                .header("Accept", "text/event-stream").contentType(ContentType.JSON)
                .body("{\"model\":\"gpt-image-1\",\"prompt\":\"otter\",\"stream\":true}").post(Gateway.PATH);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("text/event-stream");
    }

    @Test
    void streamForDallE_isStill400OnStream_andNeverReachesUpstream() {
        assertEnvelope(Gateway.generate("{\"model\":\"dall-e-3\",\"prompt\":\"otter\",\"stream\":true}"), 400,
                "invalid_request_error", "unknown_parameter");
        assertThat(upstream.getAllServeEvents()).isEmpty();
    }

    @Test
    void invalidStreamRequest_getsTheJsonEnvelope_notAStream() {
        Response response = Gateway.generate("{\"model\":\"gpt-image-1\",\"prompt\":\"otter\",\"stream\":true,"
                + "\"partial_images\":4}");
        assertEnvelope(response, 400, "invalid_request_error", "integer_above_max_value");
        assertThat(response.jsonPath().getString("error.param")).isEqualTo("partial_images");
        assertThat(upstream.getAllServeEvents()).isEmpty();
    }

    @Test
    void upstreamRefusingBeforeStreaming_getsTheOrdinaryErrorAnswer() {
        UpstreamStubs.answerWith(upstream, 400, UpstreamStubs.error("moderation-blocked"));

        Response response = Gateway.generate(STREAM_B64);

        JsonNode refusal = Fixtures.json("upstream/errors/moderation-blocked.json").get("error");
        assertEnvelope(response, 400, refusal.get("type").asText(), refusal.get("code").asText());
    }

    @Test
    void upstream503BeforeStreaming_isRetried_likeAWholeAnswerRequest() {
        upstream.stubFor(post(urlEqualTo(UpstreamStubs.PATH)).inScenario("busy").whenScenarioStateIs(STARTED)
                .willReturn(UpstreamStubs.json(503, UpstreamStubs.error("server-error")))
                .willSetStateTo("ready"));
        upstream.stubFor(post(urlEqualTo(UpstreamStubs.PATH)).inScenario("busy").whenScenarioStateIs("ready")
                .willReturn(UpstreamStreamStubs.sse(UpstreamStreamStubs.stream(List.of(), TestImages.png(8, 8)))));

        Response response = Gateway.generate(STREAM_B64);

        assertThat(UpstreamStreamStubs.read(response.asString())).extracting(Event::name)
                .containsExactly(UpstreamStreamStubs.COMPLETED);
        assertThat(upstream.getAllServeEvents()).hasSize(2);
    }

    @Test
    void upstream500BeforeStreaming_isNotRetried_andIsThe502Envelope() {
        UpstreamStubs.answerWith(upstream, 500, UpstreamStubs.error("server-error"));

        assertEnvelope(Gateway.generate(STREAM_B64), 502, "server_error", "upstream_unavailable");
        assertThat(upstream.getAllServeEvents()).hasSize(1);
    }

    @Test
    void streamBrokenOffMidway_endsWithAnErrorEvent() {
        upstream.stubFor(post(urlEqualTo(UpstreamStubs.PATH)).willReturn(aResponse().withStatus(200)
                .withFault(Fault.MALFORMED_RESPONSE_CHUNK)));

        Response response = Gateway.generate(STREAM_B64);

        assertThat(response.statusCode()).isEqualTo(200);
        Event last = lastEvent(response);
        assertThat(last.name()).isEqualTo("error");
        assertThat(last.data().get("type").asText()).isEqualTo("error");
        assertThat(last.data().at("/error/type").asText()).isEqualTo("server_error");
        assertThat(last.data().at("/error/code").asText()).isIn("upstream_unavailable", "upstream_invalid_response");
        assertThat(last.data().at("/error/message").asText()).isNotBlank();
        assertThat(last.data().get("error").has("param")).isTrue();
    }

    @Test
    void streamEndingWithoutCompleted_relaysThePartials_thenAnErrorEvent() {
        byte[] partial = TestImages.png(8, 8);
        upstream.stubFor(post(urlEqualTo(UpstreamStubs.PATH))
                .willReturn(UpstreamStreamStubs.sse(UpstreamStreamStubs.stream(List.of(partial), null))));

        List<Event> events = UpstreamStreamStubs.read(Gateway.generate(STREAM_B64).asString());

        assertThat(events).extracting(Event::name).containsExactly(UpstreamStreamStubs.PARTIAL, "error");
        assertThat(events.get(0).data().get("b64_json").asText()).isEqualTo(TestImages.base64(partial));
        assertThat(events.get(1).data().at("/error/code").asText()).isEqualTo("upstream_invalid_response");
    }

    @Test
    void streamThatRunsOutOfTime_relaysWhatArrived_thenATimeoutErrorEvent() {
        // The partial arrives at once, the rest only after the test's 3 s upstream timeout.
        byte[] partial = TestImages.png(4, 4);
        String head = UpstreamStreamStubs.stream(List.of(partial), null);
        String tail = UpstreamStreamStubs.stream(List.of(), TestImages.pngSignedNoise(30_000, 3));
        upstream.stubFor(post(urlEqualTo(UpstreamStubs.PATH))
                .willReturn(UpstreamStreamStubs.sse(head + tail).withChunkedDribbleDelay(8, 16_000)));

        long started = System.nanoTime();
        Response response = Gateway.generate(STREAM_B64);
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(tookMillis).as("answered by the deadline, not after the whole stream").isLessThan(8_000);
        List<Event> events = UpstreamStreamStubs.read(response.asString());
        assertThat(events.get(events.size() - 1).name()).isEqualTo("error");
        assertThat(events.get(events.size() - 1).data().at("/error/code").asText()).isEqualTo("upstream_timeout");
        assertThat(events).extracting(Event::name).doesNotContain(UpstreamStreamStubs.COMPLETED);
    }

    @Test
    void upstreamErrorEvent_isRelayedAsOurErrorEvent() {
        ObjectNode error = Fixtures.json("upstream/stream/error-event.json");
        upstream.stubFor(post(urlEqualTo(UpstreamStubs.PATH)).willReturn(UpstreamStreamStubs.sse(
                UpstreamStreamStubs.stream(List.of(TestImages.png(4, 4)), null)
                        + UpstreamStreamStubs.event("error", error))));

        List<Event> events = UpstreamStreamStubs.read(Gateway.generate(STREAM_B64).asString());

        assertThat(events).extracting(Event::name).containsExactly(UpstreamStreamStubs.PARTIAL, "error");
        JsonNode relayed = events.get(1).data().get("error");
        assertThat(relayed.get("code").asText()).isEqualTo(error.at("/error/code").asText());
        assertThat(relayed.get("type").asText()).isEqualTo(error.at("/error/type").asText());
        assertThat(relayed.get("message").asText()).contains("safety system");
    }

    @Test
    void streamedBytesThatAreNotTheRequestedImageType_endWithAnInvalidResponseError() {
        UpstreamStreamStubs.streamWith(upstream, List.of(TestImages.png(4, 4)), TestImages.jpeg(8, 8));

        List<Event> events = UpstreamStreamStubs.read(Gateway.generate(STREAM_B64).asString());

        assertThat(events).extracting(Event::name).containsExactly(UpstreamStreamStubs.PARTIAL, "error");
        assertThat(events.get(1).data().at("/error/code").asText()).isEqualTo("upstream_invalid_response");
    }

    @Test
    void jsonAnswerToAStreamRequest_endsWithAnInvalidResponseError() {
        UpstreamStubs.answerWith(upstream, List.of(TestImages.png(4, 4)));

        List<Event> events = UpstreamStreamStubs.read(Gateway.generate(STREAM_B64).asString());

        assertThat(events).extracting(Event::name).containsExactly("error");
        assertThat(events.get(0).data().at("/error/code").asText()).isEqualTo("upstream_invalid_response");
    }

    private static Event lastEvent(Response response) {
        List<Event> events = UpstreamStreamStubs.read(response.asString());
        assertThat(events).isNotEmpty();
        return events.get(events.size() - 1);
    }
}
