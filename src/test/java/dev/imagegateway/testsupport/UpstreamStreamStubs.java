package dev.imagegateway.testsupport;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Image streams of the test upstream, as OpenAI sends them ({@code event:} line, {@code data:} JSON that
 * repeats the type), and a reader for the event streams the gateway answers with.
 */
public final class UpstreamStreamStubs {

    public static final String PARTIAL = "image_generation.partial_image";
    public static final String COMPLETED = "image_generation.completed";
    public static final String EDIT_PARTIAL = "image_edit.partial_image";
    public static final String EDIT_COMPLETED = "image_edit.completed";
    private static final ObjectMapper JSON = new ObjectMapper();

    private UpstreamStreamStubs() {
    }

    /** One event of a stream, as read back: its {@code event:} name and its data as JSON. */
    public record Event(String name, JsonNode data) {
    }

    /** The upstream streams {@code partials} and then {@code completed}, and ends the stream. */
    public static void streamWith(WireMockServer upstream, List<byte[]> partials, byte[] completed) {
        upstream.stubFor(post(urlEqualTo(UpstreamStubs.PATH)).willReturn(sse(stream(partials, completed))));
    }

    /** The upstream streams every edit as {@code image_edit.*} events: {@code partials}, then {@code completed}. */
    public static void streamEditsWith(WireMockServer upstream, List<byte[]> partials, byte[] completed) {
        upstream.stubFor(post(urlEqualTo(UpstreamStubs.EDITS_PATH))
                .willReturn(sse(stream(partials, completed, EDIT_PARTIAL, EDIT_COMPLETED))));
    }

    public static ResponseDefinitionBuilder sse(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "text/event-stream; charset=utf-8")
                .withHeader("Cache-Control", "no-cache").withBody(body);
    }

    /** An OpenAI image stream: the partial images, then the completed image (or none when null). */
    public static String stream(List<byte[]> partials, byte[] completed) {
        return stream(partials, completed, PARTIAL, COMPLETED);
    }

    private static String stream(List<byte[]> partials, byte[] completed, String partial, String done) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < partials.size(); i++) {
            ObjectNode data = imageEvent(partial, partials.get(i));
            data.put("partial_image_index", i);
            body.append(event(partial, data));
        }
        if (completed != null) {
            ObjectNode data = imageEvent(done, completed);
            data.set("usage", UpstreamStubs.usage());
            body.append(event(done, data));
        }
        return body.toString();
    }

    public static String event(String name, JsonNode data) {
        return "event: " + name + "\ndata: " + data + "\n\n";
    }

    private static ObjectNode imageEvent(String type, byte[] image) {
        ObjectNode data = JSON.createObjectNode();
        data.put("type", type);
        data.put("b64_json", TestImages.base64(image));
        data.put("created_at", 1732579200L);
        data.put("size", "1024x1024");
        data.put("quality", "high");
        data.put("background", "opaque");
        data.put("output_format", "png");
        return data;
    }

    /** The events of a {@code text/event-stream} body, strictly: each an event line, one data line, a blank line. */
    public static List<Event> read(String body) {
        List<Event> events = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new StringReader(body))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (!line.startsWith("event: ")) {
                    throw new AssertionError("expected an event line, got: " + abbreviate(line));
                }
                String data = lines.readLine();
                if (data == null || !data.startsWith("data: ")) {
                    throw new AssertionError("expected a data line after " + line);
                }
                String blank = lines.readLine();
                if (blank == null || !blank.isEmpty()) {
                    throw new AssertionError("expected a blank line after the data of " + line);
                }
                events.add(new Event(line.substring("event: ".length()), JSON.readTree(data.substring("data: ".length()))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return events;
    }

    /**
     * Asserts that a Lambda HTTP answer ({@code APIGatewayV2HTTPResponse} as JSON) is a text event
     * stream of one partial image and then the completed image {@code last}.
     */
    public static void assertPartialThenCompleted(JsonNode answer, byte[] last) {
        assertThat(answer.get("statusCode").asInt()).isEqualTo(200);
        assertThat(answer.at("/headers/Content-Type").asText()).startsWith("text/event-stream");
        // Text, not base64: Function URLs and API Gateway pass it to the caller as it is.
        assertThat(answer.get("isBase64Encoded").asBoolean()).isFalse();
        List<Event> events = read(answer.get("body").asText());
        assertThat(events).extracting(Event::name).containsExactly(PARTIAL, COMPLETED);
        assertThat(events.get(1).data().get("b64_json").asText()).isEqualTo(TestImages.base64(last));
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }
}
