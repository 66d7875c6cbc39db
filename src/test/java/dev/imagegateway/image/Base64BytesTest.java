package dev.imagegateway.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class Base64BytesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aQuotedRange_isTheStringsContent_writtenAsItIs() throws Exception {
        byte[] json = "{\"b64_json\":\"iVBORw0KGgo=\"}".getBytes(StandardCharsets.US_ASCII);

        Base64Bytes range = Base64Bytes.quoted(json, 12);

        assertThat(range.toString()).isEqualTo("iVBORw0KGgo=");
        assertThat(range.isWellFormed()).isTrue();
        assertThat(range.leadingBytes()).startsWith(0x89, 'P', 'N', 'G');
        assertThat(range.decode()).isEqualTo(Base64.getDecoder().decode("iVBORw0KGgo="));
        assertThat(new String(JSON.writeValueAsBytes(List.of(range)), StandardCharsets.US_ASCII))
                .isEqualTo("[\"iVBORw0KGgo=\"]");
        assertThat(JSON.writeValueAsString(List.of(range))).as("through a Writer").isEqualTo("[\"iVBORw0KGgo=\"]");
    }

    @Test
    void leadingBytes_decodeOnlyTheFirstSixteenCharacters_andAreEmptyWhenThoseAreNotBase64() {
        String png = Base64.getEncoder().encodeToString(new byte[] { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
                0, 0, 0, 13, 'I', 'H', 'D', 'R', 1, 2, 3 });

        assertThat(Base64Bytes.of(png).leadingBytes()).hasSize(12).startsWith(0x89, 'P', 'N', 'G');
        assertThat(Base64Bytes.of(png.substring(0, 16) + "!!!!").leadingBytes()).as("bad after the head").hasSize(12);
        assertThat(Base64Bytes.of("QU D" + png).leadingBytes()).as("bad in the head").isEmpty();
    }

    @Test
    void aRangeThatIsNotAQuotedBase64String_isNone() {
        byte[] json = "{\"a\":\"QU D\",\"b\":1}".getBytes(StandardCharsets.US_ASCII);

        assertThat(Base64Bytes.quoted(json, 5)).as("not base64").isNull();
        assertThat(Base64Bytes.quoted(json, 6)).as("not at a quote").isNull();
        assertThat(Base64Bytes.quoted(json, 99)).as("outside").isNull();
    }

    @Test
    void uncheckedText_isWrittenEscaped_soTheJsonStaysValid() throws Exception {
        Base64Bytes odd = Base64Bytes.of("a\"b\\c\n");

        String written = new String(JSON.writeValueAsBytes(List.of(odd)), StandardCharsets.UTF_8);

        assertThat(JSON.readTree(written).get(0).asText()).isEqualTo("a\"b\\c\n");
        assertThat(odd.isWellFormed()).isFalse();
        assertThat(JSON.writeValueAsString(List.of(odd))).isEqualTo(written);
        assertThatThrownBy(odd::decode).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void jsonText_isReadIntoIt() throws Exception {
        Base64Bytes read = JSON.readValue("\"QUJD\"", Base64Bytes.class);

        assertThat(read.toString()).isEqualTo("QUJD");
        assertThat(read.decode()).isEqualTo("ABC".getBytes(StandardCharsets.US_ASCII));
    }
}
