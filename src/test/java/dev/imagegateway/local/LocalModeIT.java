package dev.imagegateway.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.images.ImageGenerateParams;
import com.openai.models.images.ImageModel;
import com.openai.models.images.ImagesResponse;
import dev.imagegateway.testsupport.Gateway;
import dev.imagegateway.testsupport.LocalModeApp;
import dev.imagegateway.testsupport.Readme;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The README's quick start, end to end: its run command ({@code ./mvnw quarkus:dev -Plocal}) as a child
 * process, then its {@code curl} request and its Java SDK snippet over HTTP, and the images they
 * return downloaded and decoded.
 *
 * <p>A child process rather than a {@code @QuarkusTest}: only the real command proves that the
 * {@code local} profile, its source folder, its S3Proxy dependency and the config defaults work
 * together in dev mode, which is what a newcomer runs. It costs one Maven start (about 15 s here).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalModeIT {

    private static final Path PROJECT = Path.of("").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static Readme readme;
    private static LocalModeApp app;

    @BeforeAll
    static void startTheReadmeRunCommand() {
        readme = Readme.read(PROJECT.resolve("README.md"));
        assertThat(readme.runCommand()).containsExactly("./mvnw", "quarkus:dev", "-Plocal");
        assertThat(readme.testCommand()).containsExactly("./mvnw", "-B", "verify"); // what this very build runs
        app = LocalModeApp.start(PROJECT, readme.runCommand(), PROJECT.resolve("target/local-it"),
                Duration.ofMinutes(3));
        System.out.printf("Local mode: README run command ready (\"started in\") after %.1f s%n",
                app.startUp.toMillis() / 1000.0);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
            assertThat(app.stopped()).as("Maven and the dev-mode JVM are gone").isTrue();
        }
    }

    @Test
    @Order(1)
    void readmeCurl_returnsALinkThatDownloadsThePromisedPng() throws Exception {
        Readme.Curl curl = readme.curl();
        assertThat(curl.url()).hasHost("localhost").hasPort(8080);
        JsonNode body = JSON.readTree(curl.body());

        HttpResponse<String> response = post(curl.url().getPath(), keyFrom(curl.keyFile()), curl.body());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-request-id")).isPresent();
        String url = JSON.readTree(response.body()).path("data").path(0).path("url").asText();
        assertThat(url).startsWith("http://127.0.0.1:" + app.storePort + "/local-images/images/")
                .contains("X-Amz-Expires=3600");

        HttpResponse<byte[]> image = Gateway.download(url);
        assertThat(image.statusCode()).isEqualTo(200);
        assertThat(image.headers().firstValue("Content-Type")).hasValue("image/png");
        String[] size = body.path("size").asText().split("x");
        assertImage(image.body(), "png", Integer.parseInt(size[0]), Integer.parseInt(size[1]));

        // The store really checks signatures: the same link with a changed signature is refused.
        int signature = url.indexOf("X-Amz-Signature=") + "X-Amz-Signature=".length();
        char changed = url.charAt(signature) == '0' ? '1' : '0';
        String tampered = url.substring(0, signature) + changed + url.substring(signature + 1);
        assertThat(Gateway.download(tampered).statusCode()).isEqualTo(403);
    }

    @Test
    @Order(2)
    void startUpLog_printsTheLocalKeyWithACurlExample() throws IOException {
        String key = keyFrom(readme.curl().keyFile());
        assertThat(key).startsWith("sk-gateway-local-");
        assertThat(app.output())
                .contains("your local gateway key is " + key)
                .contains("curl -s http://localhost:" + app.gatewayPort + "/v1/images/generations -H 'Authorization: Bearer " + key + "'")
                .contains("DEMO backend")
                .contains("embedded S3 store http://127.0.0.1:" + app.storePort);
        assertThat(Files.getPosixFilePermissions(app.dataDir.resolve("local-gateway-key")))
                .as("only the owner may read the key")
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }

    @Test
    @Order(3)
    void readmeJavaSnippet_getsALinkThroughTheOpenAiSdk() throws Exception {
        // The README's Java snippet, with the test's port and key file.
        assertThat(readme.javaSnippet()).contains(".baseUrl(\"http://localhost:8080/v1\")");
        OpenAIClient client = OpenAIOkHttpClient.builder()
                .baseUrl(app.baseUrl() + "/v1")
                .apiKey(keyFrom(readme.javaSnippetKeyFile()))
                .maxRetries(0)
                .build();
        ImagesResponse image = client.images().generate(ImageGenerateParams.builder()
                .model(ImageModel.GPT_IMAGE_1).prompt("A cute baby sea otter")
                .size(ImageGenerateParams.Size._1024X1024)
                .responseFormat(ImageGenerateParams.ResponseFormat.URL)
                .build());

        String url = image.data().orElseThrow().get(0).url().orElseThrow();
        assertImage(Gateway.download(url).body(), "png", 1024, 1024);
        assertThat(image.usage().orElseThrow().outputTokens()).isPositive();
    }

    @Test
    void demo_gptImage2CustomSizeAsJpeg_givesNJpegsOfThatSizeAndUsage() throws Exception {
        HttpResponse<String> response = post("/v1/images/generations", keyFrom(readme.curl().keyFile()),
                "{\"model\":\"gpt-image-2\",\"prompt\":\"a lighthouse\",\"size\":\"1280x720\","
                        + "\"output_format\":\"jpeg\",\"output_compression\":80,\"n\":2}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.path("data")).hasSize(2);
        for (JsonNode item : answer.path("data")) {
            assertImage(Base64.getDecoder().decode(item.path("b64_json").asText()), "jpeg", 1280, 720);
        }
        assertThat(answer.path("output_format").asText()).isEqualTo("jpeg");
        assertThat(answer.path("size").asText()).isEqualTo("1280x720");
        assertThat(answer.path("usage").path("total_tokens").asLong()).isPositive();
        assertThat(answer.path("data")).allSatisfy(item -> assertThat(item.has("revised_prompt")).isFalse());
    }

    @Test
    void demo_dallE3_revisesThePromptAndAnswersWithALink() throws Exception {
        HttpResponse<String> response = post("/v1/images/generations", keyFrom(readme.curl().keyFile()),
                "{\"model\":\"dall-e-3\",\"prompt\":\"a red bicycle\",\"size\":\"1792x1024\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode item = JSON.readTree(response.body()).path("data").path(0);
        assertThat(item.path("revised_prompt").asText()).contains("a red bicycle");
        assertImage(Gateway.download(item.path("url").asText()).body(), "png", 1792, 1024);
        assertThat(JSON.readTree(response.body()).has("usage")).as("DALL·E answers carry no usage").isFalse();
    }

    @Test
    void demo_webp_isAClear400NamingOutputFormat() throws Exception {
        HttpResponse<String> response = post("/v1/images/generations", keyFrom(readme.curl().keyFile()),
                "{\"model\":\"gpt-image-1\",\"prompt\":\"a fox\",\"output_format\":\"webp\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertThat(error.path("param").asText()).isEqualTo("output_format");
        assertThat(error.path("message").asText()).contains("demo backend cannot write WebP");
    }

    @Test
    void demoBackend_calledDirectly_drawsAutoSizeAsASquare() throws Exception {
        // Straight to the demo backend, as the gateway's REST client calls it.
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + app.demoPort + "/v1/images/generations"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-image-1\",\"prompt\":\"x\",\"size\":\"auto\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode answer = JSON.readTree(response.body());
        assertImage(Base64.getDecoder().decode(answer.path("data").path(0).path("b64_json").asText()), "png", 1024, 1024);
        assertThat(answer.path("size").asText()).isEqualTo("1024x1024");
    }

    @Test
    void wrongKey_isRefused() throws Exception {
        HttpResponse<String> response = post("/v1/images/generations", "sk-gateway-local-guess",
                "{\"prompt\":\"a fox\"}");

        assertThat(response.statusCode()).isEqualTo(401);
    }

    private static String keyFrom(String readmeKeyFile) throws IOException {
        // The README reads target-local/<file>; this run keeps its data in its own directory.
        assertThat(readmeKeyFile).startsWith("target-local/");
        return Files.readString(app.dataDir.resolve(Path.of(readmeKeyFile).getFileName())).strip();
    }

    private static HttpResponse<String> post(String path, String key, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + path))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Decodes {@code bytes} and checks the format ImageIO recognises and the dimensions. */
    private static void assertImage(byte[] bytes, String format, int width, int height) throws IOException {
        try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
            assertThat(readers.hasNext()).as("a readable image").isTrue();
            ImageReader reader = readers.next();
            try {
                assertThat(reader.getFormatName()).isEqualToIgnoringCase(format);
                reader.setInput(input);
                assertThat(reader.getWidth(0)).isEqualTo(width);
                assertThat(reader.getHeight(0)).isEqualTo(height);
                assertThat(reader.read(0)).isNotNull(); // the whole picture decodes, not just its header
            } finally {
                reader.dispose();
            }
        }
    }
}
