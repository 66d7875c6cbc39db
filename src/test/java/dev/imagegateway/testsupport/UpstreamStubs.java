package dev.imagegateway.testsupport;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.util.List;
import java.util.Map;

/** Answers of the test upstream, in the OpenAI wire format. */
public final class UpstreamStubs {

    public static final String PATH = "/v1/images/generations";
    public static final String EDITS_PATH = "/v1/images/edits";
    private static final ObjectMapper JSON = new ObjectMapper();

    private UpstreamStubs() {
    }

    /** The upstream answers every generation with these images (and a revised prompt for each). */
    public static void answerWith(WireMockServer upstream, List<byte[]> images) {
        upstream.stubFor(post(urlEqualTo(PATH)).willReturn(json(200, imagesBody(images, true))));
    }

    /** The upstream answers every edit with these images. */
    public static void answerEditsWith(WireMockServer upstream, List<byte[]> images) {
        upstream.stubFor(post(urlEqualTo(EDITS_PATH)).willReturn(json(200, imagesBody(images, false))));
    }

    /** The upstream answers every generation with one image of the {@code output_format} asked for (png by default). */
    public static void answerInTheRequestedFormat(WireMockServer upstream) {
        answerWith(upstream, List.of(TestImages.png(4, 4)));
        Map<String, byte[]> formats = Map.of("jpeg", TestImages.jpeg(4, 4), "webp", TestImages.webp(),
                "gif", TestImages.gif(4, 4), "svg", TestImages.svg());
        formats.forEach((format, image) -> upstream.stubFor(post(urlEqualTo(PATH))
                .withRequestBody(matchingJsonPath("$[?(@.output_format == '" + format + "')]"))
                .willReturn(json(200, imagesBody(List.of(image), false)))));
    }

    /** The upstream answers with {@code status} and {@code body} as JSON. */
    public static void answerWith(WireMockServer upstream, int status, String body) {
        upstream.stubFor(post(urlEqualTo(PATH)).willReturn(json(status, body)));
    }

    public static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    /** An OpenAI images answer with the GPT image metadata and usage. */
    public static String imagesBody(List<byte[]> images, boolean withRevisedPrompt) {
        ObjectNode root = JSON.createObjectNode();
        root.put("created", 1732579200L);
        ArrayNode data = root.putArray("data");
        for (byte[] image : images) {
            ObjectNode item = data.addObject();
            item.put("b64_json", TestImages.base64(image));
            if (withRevisedPrompt) {
                item.put("revised_prompt", "a revised prompt");
            }
        }
        root.put("background", "opaque");
        root.put("output_format", "png");
        root.put("size", "1024x1024");
        root.put("quality", "high");
        root.set("usage", usage());
        return root.toString();
    }

    /**
     * The usage block of every stubbed image answer, whole or streamed ({@code upstream/usage.json}); tests
     * read the figures they expect from here.
     */
    public static ObjectNode usage() {
        return Fixtures.json("upstream/usage.json");
    }

    /** The OpenAI error body kept in {@code upstream/errors/<name>.json}, e.g. {@code "server-error"}. */
    public static String error(String name) {
        return Fixtures.text("upstream/errors/" + name + ".json");
    }

    /** An OpenAI error envelope, for a message a test makes up (one that names a key, say). */
    public static String errorBody(String message, String type, String param, String code) {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("error").put("message", message).put("type", type).put("param", param).put("code", code);
        return root.toString();
    }
}
