package dev.imagegateway.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Base64TextTest {

    @Test
    void encodedBytes_ofEveryLength_areWellFormed() {
        Random random = new Random(7);
        for (int length = 1; length < 300; length++) {
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            String text = Base64.getEncoder().encodeToString(bytes);
            assertThat(Base64Text.isWellFormed(text)).as("length %d", length).isTrue();
            byte[] inJson = ("[\"" + text + "\"]").getBytes(StandardCharsets.US_ASCII);
            assertThat(Base64Text.isWellFormed(inJson, 2, text.length())).as("bytes, length %d", length).isTrue();
            assertThat(Base64Text.quotedLength(inJson, 2)).as("quoted, length %d", length).isEqualTo(text.length());
        }
    }

    @Test
    void textThatIsNotStandardBase64_isRefused_asBytesAndQuoted() {
        for (String bad : new String[] { "", "QUJD=", "QU=D", "====", "QU-D", "QU D", "QUJD\nQUJD", "QUJ\u00c1",
                "QUJ\u0141", "QUJ\uff21", "QQ==QQ==", "QQ\\/D" }) {
            byte[] bytes = bad.getBytes(StandardCharsets.UTF_8);
            assertThat(Base64Text.isWellFormed(bytes, 0, bytes.length)).as(bad).isFalse();
            byte[] quoted = ("\"" + bad + "\"").getBytes(StandardCharsets.UTF_8);
            assertThat(Base64Text.quotedLength(quoted, 1)).as("quoted %s", bad).isEqualTo(-1);
        }
        byte[] unterminated = "QUJD".getBytes(StandardCharsets.US_ASCII);
        assertThat(Base64Text.quotedLength(unterminated, 0)).as("no closing quote").isEqualTo(-1);
    }

    @Test
    void textThatIsNotStandardBase64_isRefused() {
        assertThat(Base64Text.isWellFormed("")).isFalse();
        assertThat(Base64Text.isWellFormed("QUJD=")).as("not whole quads").isFalse();
        assertThat(Base64Text.isWellFormed("QU=D")).as("padding inside").isFalse();
        assertThat(Base64Text.isWellFormed("====")).isFalse();
        assertThat(Base64Text.isWellFormed("QU-D")).as("URL-safe alphabet").isFalse();
        assertThat(Base64Text.isWellFormed("QU D")).isFalse();
        assertThat(Base64Text.isWellFormed("QUJD\nQUJD")).isFalse();
        // Characters whose low seven bits are in the alphabet must not pass for it.
        assertThat(Base64Text.isWellFormed("QUJ\u00c1")).as("U+00C1").isFalse();
        assertThat(Base64Text.isWellFormed("QUJ\u0141")).as("U+0141").isFalse();
        assertThat(Base64Text.isWellFormed("QUJ\uff21")).as("fullwidth A").isFalse();
    }
}
