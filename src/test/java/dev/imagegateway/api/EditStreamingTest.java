package dev.imagegateway.api;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.imagegateway.testsupport.Gateway;
import dev.imagegateway.testsupport.MultipartForm;
import dev.imagegateway.testsupport.S3TestServer;
import dev.imagegateway.testsupport.TestImages;
import dev.imagegateway.testsupport.UpstreamStreamStubs;
import dev.imagegateway.testsupport.UpstreamStreamStubs.Event;
import dev.imagegateway.testsupport.UpstreamStubs;
import dev.imagegateway.testsupport.UpstreamTestServer;
import dev.imagegateway.testsupport.UpstreamTestServer.InjectUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code stream=true} edits: the buffered event stream of generations, with OpenAI's {@code image_edit.*} names. */
@QuarkusTest
@WithTestResource(S3TestServer.class)
@WithTestResource(UpstreamTestServer.class)
class EditStreamingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @InjectUpstream
    WireMockServer upstream;

    private final byte[] partial = TestImages.png(8, 8);
    private final byte[] last = TestImages.png(24, 24);

    @BeforeEach
    void upstreamStreamsEdits() {
        upstream.resetAll();
        UpstreamStreamStubs.streamEditsWith(upstream, List.of(partial), last);
    }

    @Test
    void multipartStream_relaysImageEditEvents_andAsksTheUpstreamForAStream() {
        Response response = Gateway.edit(new MultipartForm().text("model", "gpt-image-2").text("prompt", "a hat")
                .text("stream", "true").text("partial_images", "1").png("image", TestImages.png(8, 8)));

        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("text/event-stream");
        List<Event> events = UpstreamStreamStubs.read(response.asString());
        assertThat(events).extracting(Event::name).containsExactly("image_edit.partial_image", "image_edit.completed");
        assertThat(events.get(0).data().get("type").asText()).isEqualTo("image_edit.partial_image");
        assertThat(events.get(1).data().get("b64_json").asText()).isEqualTo(TestImages.base64(last));
        var sent = upstream.findAll(postRequestedFor(urlEqualTo(UpstreamStubs.EDITS_PATH))).get(0);
        assertThat(sent.getPart("stream").getBody().asString()).isEqualTo("true");
        assertThat(sent.getPart("partial_images").getBody().asString()).isEqualTo("1");
    }

    @Test
    void jsonStreamWithUrl_completedEventCarriesALinkThatDownloadsTheEdit() throws Exception {
        Response response = Gateway.editJson("{\"model\":\"gpt-image-2\",\"prompt\":\"a hat\",\"stream\":true,"
                + "\"response_format\":\"url\",\"images\":[{\"image_url\":\"https://a.example/otter.png\"}]}");

        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        List<Event> events = UpstreamStreamStubs.read(response.asString());
        JsonNode completed = events.get(events.size() - 1).data();
        assertThat(completed.get("type").asText()).isEqualTo("image_edit.completed");
        assertThat(completed.has("b64_json")).isFalse();
        assertThat(Gateway.download(completed.get("url").asText()).body()).isEqualTo(last);
        JsonNode sent = JSON.readTree(upstream.findAll(postRequestedFor(urlEqualTo(UpstreamStubs.EDITS_PATH))).get(0)
                .getBodyAsString());
        assertThat(sent.get("stream").asBoolean()).isTrue();
        assertThat(sent.get("partial_images").asInt()).isZero();
    }

    @Test
    void streamForDallE2_isRefused_asForGenerations() {
        Response response = Gateway.edit(new MultipartForm().text("model", "dall-e-2").text("prompt", "a hat")
                .text("stream", "true").png("image", TestImages.png(8, 8)));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.jsonPath().getString("error.param")).isEqualTo("stream");
    }
}
