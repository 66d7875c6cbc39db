package dev.imagegateway.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.models.images.ImagesResponse;
import dev.imagegateway.testsupport.Gateway;
import dev.imagegateway.testsupport.LocalModeApp;
import dev.imagegateway.testsupport.MultipartForm;
import dev.imagegateway.testsupport.QuickStart;
import dev.imagegateway.testsupport.TestImages;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * The README's quick start, end to end and as written: its run command ({@code ./mvnw quarkus:dev -Plocal})
 * as a child process, then {@code scripts/quickstart.sh} as it is and the Java SDK example
 * ({@link QuickStartSdk}), and the images they return downloaded and decoded. The README shows that
 * script and that example verbatim ({@code ReadmeQuickStartTest}).
 *
 * <p>
 * A child process rather than a {@code @QuarkusTest}: only the real command proves that the
 * {@code local} profile, its source folder, its S3Proxy dependency and the config defaults work
 * together in dev mode, which is what a newcomer runs. It costs one Maven start (about 15 s here). It
 * runs on free ports with its own data directory, so it does not collide with an open dev session; the
 * script is pointed at it by the variables it reads ({@code GATEWAY_URL}, {@code LOCAL_DATA_DIR}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalModeIT {

    private static final Path PROJECT = Path.of("").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static LocalModeApp app;

    @BeforeAll
    static void startTheReadmeRunCommand() {
        app = LocalModeApp.start(PROJECT, QuickStart.RUN_COMMAND, PROJECT.resolve("target/local-it"),
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
    void quickStartScript_asItIs_answersALinkThatDownloadsThePromisedPng() throws Exception {
        String answer = runQuickStartScript();

        String url = JSON.readTree(answer).path("data").path(0).path("url").asText();
        assertThat(url).as(answer).startsWith("http://127.0.0.1:" + app.storePort + "/local-images/images/")
                .contains("X-Amz-Expires=3600");

        HttpResponse<byte[]> image = Gateway.download(url);
        assertThat(image.statusCode()).isEqualTo(200);
        assertThat(image.headers().firstValue("Content-Type")).hasValue("image/png");
        assertImage(image.body(), "png", 1024, 1024); // the script asks for 1024x1024

        // The store really checks signatures: the same link with a changed signature is refused.
        int signature = url.indexOf("X-Amz-Signature=") + "X-Amz-Signature=".length();
        char changed = url.charAt(signature) == '0' ? '1' : '0';
        String tampered = url.substring(0, signature) + changed + url.substring(signature + 1);
        assertThat(Gateway.download(tampered).statusCode()).isEqualTo(403);
    }

    @Test
    @Order(2)
    void startUpLog_printsTheLocalKeyWithACurlExample() throws IOException {
        String key = key();
        assertThat(key).startsWith("sk-gateway-local-");
        assertThat(app.output())
                .contains("your local gateway key is " + key)
                .contains("curl -s http://localhost:" + app.gatewayPort + "/v1/images/generations -H 'Authorization: Bearer "
                        + key + "'")
                .contains("DEMO backend")
                .contains("embedded S3 store http://127.0.0.1:" + app.storePort);
        assertThat(Files.getPosixFilePermissions(app.dataDir.resolve("local-gateway-key")))
                .as("only the owner may read the key")
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }

    @Test
    @Order(3)
    void readmeSdkExample_getsALinkThroughTheOpenAiSdk() throws Exception {
        ImagesResponse image = QuickStartSdk.generate(app.baseUrl(), key());

        String url = image.data().orElseThrow().get(0).url().orElseThrow();
        assertImage(Gateway.download(url).body(), "png", 1024, 1024);
        assertThat(image.usage().orElseThrow().outputTokens()).isPositive();
    }

    @Test
    @Order(4)
    void readmeBatchExample_runsABatchOnTheEmbeddedQueue_andItsOutputLinksDownload() throws Exception {
        List<String> output = BatchQuickStartSdk.run(app.baseUrl(), key());

        assertThat(output).hasSize(2);
        JsonNode first = JSON.readTree(output.get(0));
        JsonNode second = JSON.readTree(output.get(1));
        assertThat(first.path("custom_id").asText()).isEqualTo("otter-1");
        assertThat(second.path("custom_id").asText()).isEqualTo("otter-2");
        assertThat(first.path("response").path("status_code").asInt()).as(output.get(0)).isEqualTo(200);
        assertImage(Base64.getDecoder().decode(first.at("/response/body/data/0/b64_json").asText()), "png", 1024, 1024);
        String url = second.at("/response/body/data/0/url").asText();
        assertThat(second.at("/response/body/data/0/key").asText()).startsWith("images/");
        assertThat(Gateway.download(url).statusCode()).as(url).isEqualTo(200);
    }

    @Test
    void demo_gptImage2CustomSizeAsJpeg_givesNJpegsOfThatSizeAndUsage() throws Exception {
        HttpResponse<String> response = post("/v1/images/generations", key(),
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
        HttpResponse<String> response = post("/v1/images/generations", key(),
                "{\"model\":\"dall-e-3\",\"prompt\":\"a red bicycle\",\"size\":\"1792x1024\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-request-id")).isPresent();
        JsonNode item = JSON.readTree(response.body()).path("data").path(0);
        assertThat(item.path("revised_prompt").asText()).contains("a red bicycle");
        assertImage(Gateway.download(item.path("url").asText()).body(), "png", 1792, 1024);
        assertThat(JSON.readTree(response.body()).has("usage")).as("DALL·E answers carry no usage").isFalse();
    }

    @Test
    void demo_webp_isAClear400NamingOutputFormat() throws Exception {
        HttpResponse<String> response = post("/v1/images/generations", key(),
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
    void demo_multipartEdit_drawsTheRequestedSize_andTheJsonEditToo() throws Exception {
        MultipartForm form = new MultipartForm().text("model", "gpt-image-2").text("prompt", "give it a hat")
                .text("size", "1536x1024").png("image", TestImages.png(64, 64)).png("mask", TestImages.png(64, 64));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/v1/images/edits"))
                .header("Authorization", "Bearer " + key()).header("Content-Type", form.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes())).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(response.body());
        assertImage(Base64.getDecoder().decode(answer.path("data").path(0).path("b64_json").asText()), "png", 1536, 1024);

        HttpResponse<String> json = post("/v1/images/edits", key(), "{\"model\":\"gpt-image-2\",\"prompt\":\"a hat\","
                + "\"response_format\":\"url\",\"images\":[{\"image_url\":\"data:image/png;base64,"
                + TestImages.base64(TestImages.png(32, 32)) + "\"}]}");
        assertThat(json.statusCode()).as(json.body()).isEqualTo(200);
        assertImage(Gateway.download(JSON.readTree(json.body()).path("data").path(0).path("url").asText()).body(), "png",
                1024, 1024);
    }

    @Test
    void wrongKey_isRefused() throws Exception {
        HttpResponse<String> response = post("/v1/images/generations", "sk-gateway-local-guess",
                "{\"prompt\":\"a fox\"}");

        assertThat(response.statusCode()).isEqualTo(401);
    }

    /** The local key, from where local mode keeps it: {@code target-local/} by default, here this run's data directory. */
    private static String key() throws IOException {
        return Files.readString(app.dataDir.resolve("local-gateway-key")).strip();
    }

    /** Runs {@code scripts/quickstart.sh} from the project's root, pointed at this run's gateway; its output. */
    private static String runQuickStartScript() throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", PROJECT.resolve(QuickStart.SCRIPT).toString())
                .directory(PROJECT.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().keySet().removeIf(name -> name.startsWith("GATEWAY_") || name.startsWith("LOCAL_"));
        builder.environment().put("GATEWAY_URL", app.baseUrl());
        builder.environment().put("LOCAL_DATA_DIR", app.dataDir.toString()); // the key file, as local mode keeps it
        Process script = builder.start();
        String output = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(script.waitFor(60, TimeUnit.SECONDS)).as("the script ends").isTrue();
        assertThat(script.exitValue()).as("the script's exit status; output: " + output).isZero();
        return output;
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
