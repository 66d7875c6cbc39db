package dev.imagegateway.api;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
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
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Edits the gateway refuses itself, through the Lambda handler: each a 400 (or 401, 413) in the OpenAI
 * envelope naming the field, never a 5xx, and never an upstream call.
 */
@QuarkusTest
@WithTestResource(S3TestServer.class)
@WithTestResource(UpstreamTestServer.class)
class EditRefusalsTest {

    @InjectUpstream
    WireMockServer upstream;

    @BeforeEach
    void upstreamWouldAnswer() {
        upstream.resetAll();
        UpstreamStubs.answerEditsWith(upstream, List.of(TestImages.png(8, 8)));
    }

    @AfterEach
    void nothingWentUpstream() {
        upstream.verify(0, postRequestedFor(anyUrl()));
    }

    @Test
    void multipartWithoutBoundary_is400() {
        Response response = given().header("Authorization", "Bearer " + Gateway.CALLER_KEY)
                .contentType("multipart/form-data").body(new MultipartForm().text("prompt", "x").bytes())
                .post(Gateway.EDITS_PATH);

        assertError(response, 400, null, null);
        assertThat(response.jsonPath().getString("error.message")).contains("boundary");
    }

    @Test
    void truncatedMultipart_is400() {
        byte[] body = new MultipartForm().text("prompt", "x").png("image", TestImages.png(8, 8)).bytes();
        Response response = given().header("Authorization", "Bearer " + Gateway.CALLER_KEY)
                .contentType(new MultipartForm().contentType()).body(java.util.Arrays.copyOf(body, body.length / 2))
                .post(Gateway.EDITS_PATH);

        assertError(response, 400, null, null);
        assertThat(response.jsonPath().getString("error.message")).contains("cut short");
    }

    @Test
    void aPartThatIsNoImage_is400NamingIt() {
        Response response = Gateway.edit(new MultipartForm().text("model", "gpt-image-2").text("prompt", "x")
                .file("image", "x.png", "image/png", "<html>".getBytes()));

        assertError(response, 400, "image[0]", "invalid_image_format");
    }

    @Test
    void aMaskOfOtherDimensions_is400NamingTheMask() {
        Response response = Gateway.edit(new MultipartForm().text("model", "gpt-image-2").text("prompt", "x")
                .png("image", TestImages.png(8, 8)).png("mask", TestImages.png(16, 16)));

        assertError(response, 400, "mask", "invalid_image_dimensions");
    }

    @Test
    void tooManyImages_is400() {
        MultipartForm form = new MultipartForm().text("model", "dall-e-2").text("prompt", "x");
        form.png("image[]", TestImages.png(8, 8)).png("image[]", TestImages.png(8, 8));

        assertError(Gateway.edit(form), 400, "image", "array_above_max_length");
    }

    @Test
    void inputFidelityForTheGptImage2Family_is400UnknownParameter() {
        Response response = Gateway.editJson("{\"model\":\"gpt-image-2\",\"prompt\":\"x\",\"input_fidelity\":\"high\","
                + "\"images\":[{\"image_url\":\"https://a.example/b.png\"}]}");

        assertError(response, 400, "input_fidelity", "unknown_parameter");
    }

    @Test
    void anotherContentType_is400NamingBothForms() {
        Response response = given().header("Authorization", "Bearer " + Gateway.CALLER_KEY).contentType("text/plain")
                .body("prompt=x").post(Gateway.EDITS_PATH);

        assertError(response, 400, null, "unsupported_content_type");
        assertThat(response.jsonPath().getString("error.message")).contains("multipart/form-data")
                .contains("application/json");
    }

    @Test
    void noKey_is401_beforeTheBodyIsRead() {
        Response response = given().contentType("multipart/form-data").body("garbage".getBytes()).post(Gateway.EDITS_PATH);

        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void aBodyOverTheEditLimit_is413_namingImageUrlFileIdAndTheFunctionUrlDoor() {
        byte[] large = TestImages.pngSignedNoise(6_000_001, 7);
        Response response = Gateway.edit(new MultipartForm().text("prompt", "x").png("image", large));

        assertError(response, 413, null, "request_too_large");
        assertThat(response.jsonPath().getString("error.message")).contains("image_url").contains("file_id")
                .contains("/v1/files").contains("/v1/uploads").contains("Function URL");
    }

    static void assertError(Response response, int status, String param, String code) {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/json");
        assertThat(response.header("x-request-id")).isNotBlank();
        assertThat(response.jsonPath().getString("error.type")).isEqualTo("invalid_request_error");
        assertThat(response.jsonPath().getString("error.param")).isEqualTo(param);
        assertThat(response.jsonPath().getString("error.code")).isEqualTo(code);
    }
}
