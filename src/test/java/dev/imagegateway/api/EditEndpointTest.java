package dev.imagegateway.api;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Request;
import dev.imagegateway.files.FileObject;
import dev.imagegateway.files.FileStore;
import dev.imagegateway.testsupport.Gateway;
import dev.imagegateway.testsupport.MultipartForm;
import dev.imagegateway.testsupport.S3TestServer;
import dev.imagegateway.testsupport.TestImages;
import dev.imagegateway.testsupport.UpstreamStubs;
import dev.imagegateway.testsupport.UpstreamTestServer;
import dev.imagegateway.testsupport.UpstreamTestServer.InjectUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/images/edits} through the Lambda handler against a WireMock upstream and an S3 server
 * that checks signatures: both forms, what reaches the upstream part by part, links and base64, files.
 */
@QuarkusTest
@WithTestResource(S3TestServer.class)
@WithTestResource(UpstreamTestServer.class)
class EditEndpointTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @InjectUpstream
    WireMockServer upstream;

    @Inject
    FileStore files;

    @Inject
    GatewayKeys keys;

    private final byte[] edited = TestImages.png(16, 16);

    @BeforeEach
    void upstreamAnswersEdits() {
        upstream.resetAll();
        UpstreamStubs.answerEditsWith(upstream, List.of(edited));
    }

    @Test
    void multipartEdit_reachesTheUpstreamAsMultipart_partByPart_withTypesReadFromTheSignatures() {
        byte[] first = TestImages.png(32, 32);
        byte[] second = TestImages.jpeg(32, 32);
        byte[] mask = TestImages.png(32, 32);
        MultipartForm form = new MultipartForm().text("model", "gpt-image-2").text("prompt", "Add a hat – très chic")
                .text("n", "1").text("quality", "high").text("size", "1024x1024")
                // an image without filename or type, as the official Java SDK sends bytes
                .file("image[]", "first.png", "image/png", first)
                .file("image[]", "photo", "application/octet-stream", second)
                .png("mask", mask);

        Response response = Gateway.edit(form);

        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        assertThat(response.jsonPath().getString("data[0].b64_json")).isEqualTo(TestImages.base64(edited));
        Request sent = onlyEditSent();
        assertThat(sent.getHeader("Content-Type")).startsWith("multipart/form-data");
        assertThat(sent.getHeader("Authorization")).isEqualTo("Bearer " + UpstreamTestServer.UPSTREAM_KEY);
        List<Request.Part> parts = new ArrayList<>(sent.getParts());
        assertThat(parts).extracting(Request.Part::getName).containsExactly("model", "prompt", "n", "size", "quality",
                "image[]", "image[]", "mask");
        assertThat(text(part(parts, "prompt", 0))).isEqualTo("Add a hat – très chic");
        assertThat(text(part(parts, "model", 0))).isEqualTo("gpt-image-2");
        Request.Part image0 = part(parts, "image[]", 0);
        Request.Part image1 = part(parts, "image[]", 1);
        assertThat(image0.getBody().asBytes()).isEqualTo(first);
        assertThat(image0.getHeader("Content-Type").firstValue()).isEqualTo("image/png");
        assertThat(image0.getHeader("Content-Disposition").firstValue()).contains("filename=\"image-0.png\"");
        assertThat(image1.getBody().asBytes()).isEqualTo(second);
        assertThat(image1.getHeader("Content-Type").firstValue()).isEqualTo("image/jpeg");
        assertThat(image1.getHeader("Content-Disposition").firstValue()).contains("filename=\"image-1.jpeg\"");
        Request.Part maskPart = part(parts, "mask", 0);
        assertThat(maskPart.getBody().asBytes()).isEqualTo(mask);
        assertThat(maskPart.getHeader("Content-Type").firstValue()).isEqualTo("image/png");
    }

    @Test
    void oneImage_goesUpstreamAsImage_andUrlStoresTheEditBehindA60MinuteLink() {
        Response response = Gateway.edit(new MultipartForm().text("model", "gpt-image-2").text("prompt", "a hat")
                .text("response_format", "url").png("image", TestImages.png(8, 8)));

        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        String url = response.jsonPath().getString("data[0].url");
        assertThat(url).contains("X-Amz-Expires=3600");
        HttpResponse<byte[]> download = Gateway.download(url);
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(edited);
        List<Request.Part> parts = new ArrayList<>(onlyEditSent().getParts());
        assertThat(parts).extracting(Request.Part::getName).containsExactly("model", "prompt", "n", "image");
    }

    @Test
    void dallE2_editsOneSquarePng_askingTheUpstreamForBase64_andAnswersALinkByDefault() {
        Response response = Gateway.edit(new MultipartForm().text("model", "dall-e-2").text("prompt", "a hat")
                .text("size", "256x256").png("image", TestImages.png(64, 64)));

        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        assertThat(response.jsonPath().getString("data[0].url")).contains("X-Amz-Signature=");
        List<Request.Part> parts = new ArrayList<>(onlyEditSent().getParts());
        assertThat(text(part(parts, "response_format", 0))).isEqualTo("b64_json");
        assertThat(text(part(parts, "size", 0))).isEqualTo("256x256");
    }

    @Test
    void jsonEdit_withImageUrl_passesTheUrlOnUnfetched_asJson() throws Exception {
        String imageUrl = "https://images.example.com/otter.png?X-Amz-Signature=abc";
        Response response = Gateway.editJson("{\"model\":\"gpt-image-2\",\"prompt\":\"a hat\",\"images\":[{\"image_url\":\""
                + imageUrl + "\"}],\"output_format\":\"png\"}");

        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        Request sent = onlyEditSent();
        assertThat(sent.getHeader("Content-Type")).startsWith("application/json");
        JsonNode body = JSON.readTree(sent.getBodyAsString());
        assertThat(body.at("/images/0/image_url").asText()).isEqualTo(imageUrl);
        assertThat(body.get("model").asText()).isEqualTo("gpt-image-2");
        assertThat(body.get("output_format").asText()).isEqualTo("png");
        assertThat(body.has("mask")).isFalse();
        assertThat(body.has("stream")).isFalse();
    }

    @Test
    void jsonEdit_withFileIds_sendsTheFilesBytesUpstreamAsDataUrls() throws Exception {
        byte[] image = TestImages.png(24, 24);
        byte[] mask = TestImages.png(24, 24);
        String owner = keys.authenticate("Bearer " + Gateway.CALLER_KEY).owner();
        FileObject imageFile = files.create(owner, "vision", "otter.png", image, null);
        FileObject maskFile = files.create(owner, "vision", "mask.png", mask, null);

        Response response = Gateway.editJson("{\"model\":\"gpt-image-1\",\"prompt\":\"a hat\",\"input_fidelity\":\"high\","
                + "\"images\":[{\"file_id\":\"" + imageFile.id() + "\"}],\"mask\":{\"file_id\":\"" + maskFile.id() + "\"}}");

        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        JsonNode body = JSON.readTree(onlyEditSent().getBodyAsString());
        assertThat(body.at("/images/0/image_url").asText())
                .isEqualTo("data:image/png;base64," + Base64.getEncoder().encodeToString(image));
        assertThat(body.at("/mask/image_url").asText())
                .isEqualTo("data:image/png;base64," + Base64.getEncoder().encodeToString(mask));
        assertThat(body.get("input_fidelity").asText()).isEqualTo("high");
    }

    @Test
    void fileIdOfAnotherCaller_is404_andNothingGoesUpstream() {
        FileObject theirs = files.create("someone-else-0000000000000000000", "vision", "x.png", TestImages.png(8, 8),
                null);

        Response response = Gateway.editJson("{\"model\":\"gpt-image-2\",\"prompt\":\"a hat\",\"images\":[{\"file_id\":\""
                + theirs.id() + "\"}]}");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.jsonPath().getString("error.param")).isEqualTo("images[0].file_id");
        upstream.verify(0, postRequestedFor(anyUrl()));
    }

    @Test
    void dataUrl_isAcceptedAndPassedOn_afterItsSignatureIsChecked() throws Exception {
        String dataUrl = "data:image/png;base64," + TestImages.base64(TestImages.png(8, 8));

        Response response = Gateway.editJson("{\"model\":\"gpt-image-2\",\"prompt\":\"a hat\",\"images\":[{\"image_url\":\""
                + dataUrl + "\"}]}");

        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        assertThat(JSON.readTree(onlyEditSent().getBodyAsString()).at("/images/0/image_url").asText())
                .isEqualTo(dataUrl);
    }

    @Test
    void upstreamFailure_isAnsweredAsForGenerations_withXShouldRetry() {
        upstream.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlEqualTo(UpstreamStubs.EDITS_PATH))
                .willReturn(UpstreamStubs.json(500, UpstreamStubs.error("server-error"))));

        Response response = Gateway.edit(new MultipartForm().text("model", "gpt-image-2").text("prompt", "a hat")
                .png("image", TestImages.png(8, 8)));

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.jsonPath().getString("error.code")).isEqualTo("upstream_unavailable");
        assertThat(response.header("x-should-retry")).isEqualTo("false");
        upstream.verify(1, postRequestedFor(urlEqualTo(UpstreamStubs.EDITS_PATH)));
    }

    @Test
    void upstream503_isRetriedWithTheSameMultipartBytes() {
        upstream.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlEqualTo(UpstreamStubs.EDITS_PATH))
                .inScenario("busy").whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
                .willReturn(UpstreamStubs.json(503, UpstreamStubs.error("server-error"))).willSetStateTo("ready"));
        upstream.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlEqualTo(UpstreamStubs.EDITS_PATH))
                .inScenario("busy").whenScenarioStateIs("ready")
                .willReturn(UpstreamStubs.json(200, UpstreamStubs.imagesBody(List.of(edited), false))));
        byte[] image = TestImages.png(8, 8);

        Response response = Gateway.edit(new MultipartForm().text("model", "gpt-image-2").text("prompt", "a hat")
                .png("image", image));

        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        var sent = upstream.findAll(postRequestedFor(urlEqualTo(UpstreamStubs.EDITS_PATH)));
        assertThat(sent).hasSize(2);
        for (var request : sent) {
            assertThat(request.getPart("image").getBody().asBytes()).isEqualTo(image);
        }
    }

    private Request onlyEditSent() {
        var sent = upstream.findAll(postRequestedFor(urlEqualTo(UpstreamStubs.EDITS_PATH)));
        assertThat(sent).hasSize(1);
        return sent.get(0);
    }

    private static Request.Part part(List<Request.Part> parts, String name, int index) {
        return parts.stream().filter(part -> part.getName().equals(name)).skip(index).findFirst().orElseThrow();
    }

    private static String text(Request.Part part) {
        return new String(part.getBody().asBytes(), StandardCharsets.UTF_8);
    }
}
