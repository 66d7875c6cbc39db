package dev.imagegateway.api;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.imagegateway.testsupport.Gateway;
import dev.imagegateway.testsupport.S3TestServer;
import dev.imagegateway.testsupport.S3TestServer.InjectS3;
import dev.imagegateway.testsupport.TestImages;
import dev.imagegateway.testsupport.UpstreamStubs;
import dev.imagegateway.testsupport.UpstreamTestServer;
import dev.imagegateway.testsupport.UpstreamTestServer.InjectUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

@QuarkusTest
@WithTestResource(S3TestServer.class)
@WithTestResource(UpstreamTestServer.class)
class ImageGenerationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @InjectUpstream
    WireMockServer upstream;

    @InjectS3
    S3Client s3;

    @BeforeEach
    void resetUpstream() {
        upstream.resetAll();
    }

    @Test
    void dallE2Url_returnsPresignedLinkThatDownloadsTheSameImage() {
        byte[] png = TestImages.png(256, 256);
        UpstreamStubs.answerWith(upstream, List.of(png));

        Response response = Gateway.generate("{\"prompt\":\"a cute baby sea otter\",\"size\":\"256x256\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonPath body = response.jsonPath();
        String url = body.getString("data[0].url");
        assertThat(body.getString("data[0].b64_json")).isNull();
        assertThat(body.getString("data[0].revised_prompt")).isEqualTo("a revised prompt");
        assertThat(body.getLong("created")).isEqualTo(1732579200L);
        assertThat(url).contains("X-Amz-Expires=3600").contains("X-Amz-Signature=");

        HttpResponse<byte[]> download = Gateway.download(url);
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(png);
        assertThat(download.headers().firstValue("Content-Type")).hasValue("image/png");
        // The Lambda bridge hands a comma-separated header over as separate values.
        assertThat(String.join(", ", response.headers().getValues("Server-Timing"))).matches(
                "upstream;dur=\\d+\\.\\d{3}, storage;dur=\\d+\\.\\d{3}, total;dur=\\d+\\.\\d{3}");
    }

    @Test
    void anAcceptHeaderOtherThanJson_stillGetsTheJsonAnswer_asFromOpenAi() {
        for (String accept : List.of("text/plain", "image/png", "text/html, */*;q=0.1", "application/xml")) {
            UpstreamStubs.answerWith(upstream, List.of(TestImages.png(8, 8)));

            Response response = given()
                    .header("Authorization", "Bearer " + Gateway.CALLER_KEY).header("Accept", accept)
                    .contentType(ContentType.JSON)
                    .body("{\"prompt\":\"an otter\",\"size\":\"256x256\",\"response_format\":\"b64_json\"}")
                    .when().post(Gateway.PATH);

            assertThat(response.statusCode()).as(accept).isEqualTo(200);
            assertThat(response.contentType()).as(accept).startsWith("application/json");
            assertThat(response.jsonPath().getString("data[0].b64_json")).as(accept).isNotEmpty();
            given().header("Authorization", "Bearer " + Gateway.CALLER_KEY)
                    .header("Accept", accept).when().get("/v1/models").then().statusCode(200)
                    .contentType(ContentType.JSON);
        }
    }

    @Test
    void storedImage_usesTheContractKeyLayout_withTheResponsesRequestId() {
        UpstreamStubs.answerWith(upstream, List.of(TestImages.png(8, 8), TestImages.png(8, 8)));

        Response response = Gateway.generate("{\"prompt\":\"otters\",\"n\":2}");

        String requestId = response.header("x-request-id");
        assertThat(requestId).matches("[0-9a-f-]{36}");
        String day = LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy/MM/dd"));
        List<String> paths = response.jsonPath().getList("data.url", String.class).stream()
                .map(url -> URI.create(url).getPath()).toList();
        assertThat(paths).containsExactly(
                "/" + S3TestServer.BUCKET + "/images/" + day + "/" + requestId + "/0.png",
                "/" + S3TestServer.BUCKET + "/images/" + day + "/" + requestId + "/1.png");
        HeadObjectResponse head = s3.headObject(h -> h.bucket(S3TestServer.BUCKET)
                .key("images/" + day + "/" + requestId + "/1.png"));
        assertThat(head.contentType()).isEqualTo("image/png");
    }

    @Test
    void tamperedSignature_isRefusedByS3() {
        UpstreamStubs.answerWith(upstream, List.of(TestImages.png(8, 8)));
        String url = Gateway.generate("{\"prompt\":\"otter\"}").jsonPath().getString("data[0].url");

        String tampered = url.replaceFirst("X-Amz-Signature=([0-9a-f])", "X-Amz-Signature=" + flip(url));
        assertThat(tampered).isNotEqualTo(url);
        assertThat(Gateway.download(tampered).statusCode()).isEqualTo(403);
        assertThat(Gateway.download(url.substring(0, url.indexOf('?'))).statusCode()).isEqualTo(403);
    }

    private static String flip(String url) {
        char first = url.charAt(url.indexOf("X-Amz-Signature=") + "X-Amz-Signature=".length());
        return first == '0' ? "1" : "0";
    }

    @Test
    void dallE_upstreamGetsTheGatewaysKey_andIsAskedForBase64() throws Exception {
        UpstreamStubs.answerWith(upstream, List.of(TestImages.png(8, 8)));

        Gateway.generate("{\"model\":\"dall-e-3\",\"prompt\":\"otter\",\"style\":\"natural\",\"user\":\"u-1\"}")
                .then().statusCode(200);

        upstream.verify(1, postRequestedFor(urlEqualTo(UpstreamStubs.PATH))
                .withHeader("Authorization", equalTo("Bearer " + UpstreamTestServer.UPSTREAM_KEY)));
        JsonNode sent = lastUpstreamBody();
        assertThat(sent.get("response_format").asText()).isEqualTo("b64_json");
        assertThat(sent.get("model").asText()).isEqualTo("dall-e-3");
        assertThat(sent.get("size").asText()).isEqualTo("1024x1024");
        assertThat(sent.get("style").asText()).isEqualTo("natural");
        assertThat(sent.get("user").asText()).isEqualTo("u-1");
        assertThat(upstream.getAllServeEvents().get(0).getRequest().getHeader("Authorization"))
                .doesNotContain(Gateway.CALLER_KEY);
    }

    @Test
    void gptImage_defaultsToBase64_passesMetadataThrough_andSendsNoGatewayOnlyField() throws Exception {
        byte[] png = TestImages.png(16, 16);
        UpstreamStubs.answerWith(upstream, List.of(png));

        Response response = Gateway.generate("{\"model\":\"gpt-image-1.5\",\"prompt\":\"otter\",\"quality\":\"high\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonPath body = response.jsonPath();
        assertThat(body.getString("data[0].b64_json")).isEqualTo(TestImages.base64(png));
        assertThat(body.getString("data[0].url")).isNull();
        assertThat(body.getString("background")).isEqualTo("opaque");
        assertThat(body.getString("output_format")).isEqualTo("png");
        assertThat(body.getString("size")).isEqualTo("1024x1024");
        assertThat(body.getString("quality")).isEqualTo("high");
        JsonNode usage = UpstreamStubs.usage();
        assertThat(body.getInt("usage.total_tokens")).isEqualTo(usage.get("total_tokens").asInt());
        assertThat(body.getInt("usage.output_tokens_details.image_tokens"))
                .isEqualTo(usage.at("/output_tokens_details/image_tokens").asInt());
        JsonNode sent = lastUpstreamBody();
        assertThat(sent.has("response_format")).isFalse();
        assertThat(sent.get("quality").asText()).isEqualTo("high");
        assertThat(sent.has("stream")).isFalse();
    }

    @Test
    void gptImageUrl_isTheGatewaysAddition_andStoresTheRequestedFormat() throws Exception {
        byte[] jpeg = TestImages.jpeg(64, 48);
        UpstreamStubs.answerWith(upstream, List.of(jpeg));

        Response response = Gateway.generate(
                "{\"model\":\"gpt-image-1\",\"prompt\":\"otter\",\"output_format\":\"jpeg\",\"response_format\":\"url\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        String url = response.jsonPath().getString("data[0].url");
        assertThat(URI.create(url).getPath()).endsWith("/0.jpeg");
        HttpResponse<byte[]> download = Gateway.download(url);
        assertThat(download.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        assertThat(TestImages.dimensions(download.body())).containsExactly(64, 48);
        assertThat(lastUpstreamBody().has("response_format")).isFalse();
    }

    @Test
    void webp_isStoredAsWebp() {
        UpstreamStubs.answerWith(upstream, List.of(TestImages.webp()));

        Response response = Gateway.generate(
                "{\"model\":\"gpt-image-1-mini\",\"prompt\":\"otter\",\"output_format\":\"webp\",\"response_format\":\"url\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        HttpResponse<byte[]> download = Gateway.download(response.jsonPath().getString("data[0].url"));
        assertThat(download.headers().firstValue("Content-Type")).hasValue("image/webp");
        assertThat(download.body()).isEqualTo(TestImages.webp());
    }

    @Test
    void tenImages_allStored_allLinksDistinctAndWorking() {
        List<byte[]> images = java.util.stream.IntStream.range(0, 10).mapToObj(i -> TestImages.png(8 + i, 8)).toList();
        UpstreamStubs.answerWith(upstream, images);

        Response response = Gateway.generate("{\"prompt\":\"otters\",\"n\":10}");

        List<String> urls = response.jsonPath().getList("data.url", String.class);
        assertThat(urls).hasSize(10).doesNotHaveDuplicates();
        for (int i = 0; i < 10; i++) {
            assertThat(Gateway.download(urls.get(i)).body()).isEqualTo(images.get(i));
        }
    }

    @Test
    void fieldsTheUpstreamDidNotGive_areOmitted_neverNull() throws Exception {
        UpstreamStubs.answerWith(upstream, 200,
                "{\"data\":[{\"b64_json\":\"" + TestImages.base64(TestImages.png(8, 8)) + "\"}]}");

        JsonNode url = JSON.readTree(Gateway.generate("{\"prompt\":\"otter\"}").asString());
        JsonNode inline = JSON.readTree(Gateway.generate("{\"prompt\":\"otter\",\"response_format\":\"b64_json\"}")
                .asString());

        assertThat(url.fieldNames()).toIterable().containsExactly("created", "data");
        assertThat(url.get("created").asLong()).isPositive(); // the gateway's own time, as the upstream gave none
        assertThat(url.at("/data/0").fieldNames()).toIterable().containsExactly("url");
        assertThat(inline.at("/data/0").fieldNames()).toIterable().containsExactly("b64_json");
    }

    private JsonNode lastUpstreamBody() throws Exception {
        return JSON.readTree(upstream.getAllServeEvents().get(0).getRequest().getBodyAsString());
    }
}
