package dev.imagegateway.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link DirectAnswer#write}: the held body spliced into the bridge's answer, or the answer unchanged. */
class DirectAnswerWriteTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void heldBody_replacesTheEmptyBody_andItsLength() throws IOException {
        String bridged = "{\"statusCode\":200,\"headers\":{\"Content-Type\":\"application/json\",\"content-length\":\"0\"},"
                + "\"multiValueHeaders\":{\"Content-Length\":[\"0\"]},\"cookies\":[\"a=b\"],\"body\":\"\",\"isBase64Encoded\":false}";
        String body = "{\"text\":\"\\\"quoted\\\" \\\\ caf\u00e9 \\n \\u0001\",\"raw\":\"" + "AQID".repeat(100) + "\"}";

        JsonNode answer = JSON.readTree(write(bridged, body));

        assertThat(answer.path("body").asText()).isEqualTo(body);
        assertThat(answer.at("/headers/content-length").asText())
                .isEqualTo(Integer.toString(body.getBytes(StandardCharsets.UTF_8).length));
        assertThat(answer.at("/multiValueHeaders/Content-Length/0").asText())
                .isEqualTo(Integer.toString(body.getBytes(StandardCharsets.UTF_8).length));
        assertThat(answer.at("/headers/Content-Type").asText()).isEqualTo("application/json");
        assertThat(answer.at("/cookies/0").asText()).isEqualTo("a=b");
        assertThat(answer.path("isBase64Encoded").asBoolean()).isFalse();
        assertThat(answer.path("statusCode").asInt()).isEqualTo(200);
    }

    @Test
    void anAnswerThatIsNotTheEmpty200_isWrittenAsTheBridgeWroteIt() throws IOException {
        for (String bridged : new String[] {
                "{\"statusCode\":500,\"headers\":{},\"body\":\"{\\\"error\\\":{}}\",\"isBase64Encoded\":false}",
                "{\"statusCode\":200,\"headers\":{},\"body\":\"not empty\",\"isBase64Encoded\":false}",
                "{\"statusCode\":503,\"headers\":{},\"body\":\"\"}" }) {
            assertThat(write(bridged, "{\"held\":true}")).isEqualTo(bridged);
        }
    }

    @Test
    void everyByte_survivesTheEscaping() throws IOException {
        byte[] body = new byte[4096];
        new Random(11).nextBytes(body);
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (body[i] & 0x7f); // ASCII, control bytes, quotes and backslashes included
        }
        ByteArrayOutputStream escaped = new ByteArrayOutputStream();
        escaped.write('"');
        DirectAnswer.writeEscaped(body, escaped);
        escaped.write('"');

        assertThat(JSON.readTree(escaped.toByteArray()).asText()).isEqualTo(new String(body, StandardCharsets.US_ASCII));
    }

    private static String write(String bridged, String body) throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        DirectAnswer.write(bridged.getBytes(StandardCharsets.UTF_8), body.getBytes(StandardCharsets.UTF_8), output);
        return output.toString(StandardCharsets.UTF_8);
    }
}
