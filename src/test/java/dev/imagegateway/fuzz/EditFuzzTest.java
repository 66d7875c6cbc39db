package dev.imagegateway.fuzz;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Generated and mutated multipart edits (boundaries, part headers, names, truncation, bytes) through the
 * Lambda handler: never a 5xx, always the error envelope, and never an upstream call for an edit the
 * gateway refused. Replay with {@code -Dfuzz.seed=<seed>}; run long with {@code -Dfuzz.cases=20000}.
 */
@QuarkusTest
@WithTestResource(S3TestServer.class)
@WithTestResource(UpstreamTestServer.class)
class EditFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> MODELS = List.of("gpt-image-2", "gpt-image-1", "dall-e-2", "dall-e-3",
            "gpt-image-2.6-flare", "acme-unknown", "");
    private static final List<String> NAMES = List.of("image", "image[]", "mask", "prompt", "model", "n", "size",
            "stream", "input_fidelity", "images", "image[0]", "quality", "", "na\"me", "x\r\ny");
    private static final byte[][] IMAGES = { TestImages.png(8, 8), TestImages.png(8, 6), TestImages.jpeg(8, 8),
            TestImages.webp(), TestImages.opaquePng(8, 8), TestImages.gif(4, 4), "not an image".getBytes(), new byte[0] };

    @InjectUpstream
    WireMockServer upstream;

    @Test
    void generatedAndMutatedMultipartEdits_neverCause5xx_andRefusedOnesNeverReachUpstream() throws Exception {
        int cases = Integer.getInteger("fuzz.cases", 600);
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        upstream.resetAll();
        UpstreamStubs.answerEditsWith(upstream, List.of(TestImages.png(8, 8)));
        Random random = new Random(seed);
        int accepted = 0;
        for (int i = 0; i < cases; i++) {
            String boundary = random.nextInt(10) == 0 ? randomBoundary(random) : MultipartForm.BOUNDARY;
            byte[] body = mutate(form(random, boundary), boundary, random);
            String contentType = contentType(random, boundary);
            int callsBefore = upstreamCalls();
            Response response = given().header("Authorization", "Bearer " + Gateway.CALLER_KEY)
                    .contentType(contentType).body(body).post(Gateway.EDITS_PATH);
            String replay = "seed=" + seed + " case=" + i + " content-type=" + contentType + " answer="
                    + abbreviate(response.asString());
            assertThat(response.statusCode()).as(replay).isLessThan(500);
            if (response.statusCode() == 200) {
                accepted++;
                assertThat(upstreamCalls()).as(replay).isEqualTo(callsBefore + 1);
                continue;
            }
            JsonNode error = JSON.readTree(response.asByteArray()).get("error");
            assertThat(error).as(replay).isNotNull();
            assertThat(error.get("message").asText()).as(replay).isNotBlank();
            assertThat(response.header("x-request-id")).as(replay).isNotBlank();
            assertThat(upstreamCalls()).as(replay + " reached the upstream").isEqualTo(callsBefore);
        }
        System.out.printf("Fuzzed %d multipart edits (seed %d): %d accepted, %d refused%n", cases, seed, accepted,
                cases - accepted);
        assertThat(accepted).as("the generator also produces valid edits").isPositive();
    }

    /** A form that is often valid: a model, a prompt, up to three images, perhaps a mask and other fields. */
    private static byte[] form(Random random, String boundary) {
        MultipartForm form = new MultipartForm(boundary);
        if (random.nextInt(8) != 0) {
            form.text("model", MODELS.get(random.nextInt(MODELS.size())));
        }
        if (random.nextInt(8) != 0) {
            form.text("prompt", random.nextBoolean() ? "a hat" : "ünïcødé ✓ " + random.nextInt());
        }
        int images = random.nextInt(4);
        for (int i = 0; i < images; i++) {
            byte[] image = random.nextInt(3) == 0 ? IMAGES[random.nextInt(IMAGES.length)] : IMAGES[0];
            String name = images > 1 ? "image[]" : "image";
            if (random.nextInt(3) == 0) {
                form.file(name, "x", "application/octet-stream", image); // as the Java SDK sends bytes
            } else {
                form.png(name, image);
            }
        }
        if (random.nextInt(4) == 0) {
            form.png("mask", random.nextBoolean() ? IMAGES[0] : IMAGES[random.nextInt(IMAGES.length)]);
        }
        if (random.nextInt(4) == 0) {
            String name = NAMES.get(random.nextInt(NAMES.size()));
            form.text(name, random.nextBoolean() ? "1" : "high");
        }
        return form.bytes();
    }

    /** Changes the body as a broken client or a hostile one would. */
    private static byte[] mutate(byte[] body, String boundary, Random random) {
        switch (random.nextInt(10)) {
            case 0:
                return Arrays.copyOf(body, random.nextInt(body.length + 1)); // truncated
            case 1: {
                byte[] flipped = body.clone();
                for (int i = 0; i < 1 + random.nextInt(8); i++) {
                    flipped[random.nextInt(flipped.length)] = (byte) random.nextInt(256);
                }
                return flipped;
            }
            case 2:
                return replace(body, "\r\n", random.nextBoolean() ? "\n" : "\r");
            case 3:
                return replace(body, "Content-Disposition: form-data",
                        List.of("Content-Disposition: attachment", "Content-Disposition:", "X: y",
                                "Content-Disposition: form-data; name=", "content-disposition: FORM-DATA")
                                .get(random.nextInt(5)));
            case 4:
                return replace(body, "--" + boundary + "--", random.nextBoolean() ? "--" + boundary : "");
            case 5: {
                byte[] header = ("X-Long: " + "a".repeat(random.nextInt(10_000)) + "\r\n").getBytes(StandardCharsets.UTF_8);
                return replace(body, "Content-Disposition", new String(header, StandardCharsets.ISO_8859_1)
                        + "Content-Disposition");
            }
            case 6: {
                byte[] garbage = new byte[random.nextInt(200)];
                random.nextBytes(garbage);
                return garbage;
            }
            default:
                return body;
        }
    }

    private static String contentType(Random random, String boundary) {
        return switch (random.nextInt(12)) {
            case 0 -> "multipart/form-data";
            case 1 -> "multipart/form-data; boundary=wrong-boundary";
            case 2 -> "multipart/form-data; boundary=\"" + boundary + "\"";
            case 3 -> "multipart/form-data; boundary=" + boundary + "; charset=utf-8";
            case 4 -> "multipart/mixed; boundary=" + boundary;
            default -> "multipart/form-data; boundary=" + boundary;
        };
    }

    private static String randomBoundary(Random random) {
        String alphabet = "abcXYZ0123456789'()+_,-./:=? ";
        StringBuilder boundary = new StringBuilder();
        for (int i = 0; i < 1 + random.nextInt(70); i++) {
            boundary.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return boundary.toString().strip().isEmpty() ? "b" : boundary.toString().strip();
    }

    /** {@code body} with every {@code from} (Latin-1 text) replaced by {@code to}. */
    private static byte[] replace(byte[] body, String from, String to) {
        String text = new String(body, StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(text.replace(from, to).getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    private int upstreamCalls() {
        return upstream.findAll(postRequestedFor(urlEqualTo(UpstreamStubs.EDITS_PATH))).size();
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
