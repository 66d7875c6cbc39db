package dev.imagegateway.image;

import static org.assertj.core.api.Assertions.assertThat;

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
            assertThat(Base64Text.isWellFormed(Base64.getEncoder().encodeToString(bytes))).as("length %d", length)
                    .isTrue();
        }
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
