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

    @Test
    void oneByteToEscape_inLongCleanRuns_isFoundWherever_itFallsInAWord() throws IOException {
        // The scan tests eight bytes at a time: put each kind of byte to escape at every offset of a few
        // words of base64 and UTF-8 (bytes of 0x80 and above, which must pass through unescaped).
        String clean = "QUJDRA+/09az\u00e9\u00fc\u4e2dQUJDRA==QUJD";
        for (char special : new char[] { '"', '\\', '\n', '\u0000', '\u001f' }) {
            for (int at = 0; at <= clean.length(); at++) {
                String text = clean.substring(0, at) + special + clean.substring(at);
                byte[] body = text.getBytes(StandardCharsets.UTF_8);
                ByteArrayOutputStream escaped = new ByteArrayOutputStream();
                escaped.write('"');
                DirectAnswer.writeEscaped(body, escaped);
                escaped.write('"');

                assertThat(JSON.readTree(escaped.toByteArray()).asText()).as("U+%04x at %d", (int) special, at)
                        .isEqualTo(text);
            }
        }
    }

    @Test
    void wordTest_flagsExactlyTheWordsWithAByteToEscape() {
        assertThat(DirectAnswer.nothingToEscape(word("QUJDRA=="))).isTrue();
        assertThat(DirectAnswer.nothingToEscape(word("\u00e9\u00e9\u00e9\u00e9"))).as("UTF-8 bytes").isTrue();
        assertThat(DirectAnswer.nothingToEscape(word("~~~~~~~ "))).as("0x7e and space").isTrue();
        for (String dirty : new String[] { "QUJDRA=\"", "\\QUJDRA=", "QUJ\tDRA=", "QUJDR\u007fAA", "QUJDRA=\u0000" }) {
            boolean expected = dirty.indexOf('\u007f') >= 0; // DEL needs no escaping in JSON
            assertThat(DirectAnswer.nothingToEscape(word(dirty))).as(dirty).isEqualTo(expected);
        }
    }

    private static long word(String eightBytes) {
        byte[] bytes = eightBytes.getBytes(StandardCharsets.UTF_8);
        assertThat(bytes).hasSize(8);
        return java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private static String write(String bridged, String body) throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        DirectAnswer.write(bridged.getBytes(StandardCharsets.UTF_8), body.getBytes(StandardCharsets.UTF_8), output);
        return output.toString(StandardCharsets.UTF_8);
    }
}
