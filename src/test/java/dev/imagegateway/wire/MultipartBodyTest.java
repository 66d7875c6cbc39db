package dev.imagegateway.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagegateway.error.InvalidRequestException;
import dev.imagegateway.testsupport.MultipartForm;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The multipart reader: parts as views into the body, and a 400 that says what is wrong for every malformed body. */
class MultipartBodyTest {

    private static final String BOUNDARY = MultipartForm.BOUNDARY;

    @Test
    void parts_areReadInOrder_asViewsIntoTheBody_withNameFilenameAndType() {
        byte[] image = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, '-', '-' };
        byte[] body = new MultipartForm().text("prompt", "a hat").file("image[]", "a.png", "image/png", image)
                .text("n", "2").bytes();

        List<MultipartBody.Part> parts = MultipartBody.parse(body, BOUNDARY);

        assertThat(parts).extracting(MultipartBody.Part::name).containsExactly("prompt", "image[]", "n");
        MultipartBody.Part file = parts.get(1);
        assertThat(file.body()).isSameAs(body);
        assertThat(Arrays.copyOfRange(body, file.offset(), file.offset() + file.length())).isEqualTo(image);
        assertThat(file.filename()).isEqualTo("a.png");
        assertThat(file.contentType()).isEqualTo("image/png");
        assertThat(parts.get(0).text()).isEqualTo("a hat");
        assertThat(parts.get(0).filename()).isNull();
    }

    @Test
    void preambleAndEpilogue_areIgnored() {
        byte[] form = new MultipartForm().text("prompt", "x").bytes();
        byte[] body = concat("This is a preamble.\r\n".getBytes(StandardCharsets.UTF_8), form,
                "epilogue".getBytes(StandardCharsets.UTF_8));
        assertThat(MultipartBody.parse(body, BOUNDARY)).extracting(MultipartBody.Part::name).containsExactly("prompt");
    }

    @Test
    void boundary_isReadFromTheContentType_quotedOrNot() {
        assertThat(MultipartBody.boundary("multipart/form-data; boundary=abc")).isEqualTo("abc");
        assertThat(MultipartBody.boundary("multipart/form-data; charset=utf-8; boundary=\"a b:c\"")).isEqualTo("a b:c");
        assertThat(MultipartBody.isFormData("Multipart/Form-Data; boundary=x")).isTrue();
        assertThat(MultipartBody.isFormData("multipart/mixed; boundary=x")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = { "multipart/form-data", "multipart/form-data; boundary=", "multipart/form-data; boundary=\"\"",
            "multipart/form-data; boundary=a|b", "multipart/form-data; boundary=ends-in-space\" \"" })
    void aMissingOrInvalidBoundary_is400(String contentType) {
        assertThatThrownBy(() -> MultipartBody.boundary(contentType)).isInstanceOfSatisfying(
                InvalidRequestException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.getMessage()).contains("boundary");
                });
    }

    @Test
    void aBodyWithAnotherBoundary_is400SayingSo() {
        byte[] body = new MultipartForm("other").text("prompt", "x").bytes();
        assertRefused(body, "does not contain its boundary");
    }

    @Test
    void aTruncatedBody_is400_atEveryCut() {
        byte[] body = new MultipartForm().text("prompt", "a hat").file("image", "a.png", "image/png", new byte[40])
                .bytes();
        // Every cut before the close delimiter's "--" leaves a part or a boundary line unfinished.
        for (int cut = 1; cut < body.length - 2; cut++) {
            byte[] truncated = Arrays.copyOf(body, cut);
            assertThatThrownBy(() -> MultipartBody.parse(truncated, BOUNDARY)).as("cut at %d", cut)
                    .isInstanceOf(InvalidRequestException.class);
        }
    }

    @Test
    void aPartWithoutName_orWithAnotherDisposition_is400() {
        String noName = "--" + BOUNDARY + "\r\nContent-Disposition: form-data\r\n\r\nx\r\n--" + BOUNDARY + "--\r\n";
        assertRefused(noName.getBytes(StandardCharsets.UTF_8), "no Content-Disposition with a name");
        String attachment = "--" + BOUNDARY + "\r\nContent-Disposition: attachment; name=\"x\"\r\n\r\nx\r\n--" + BOUNDARY
                + "--\r\n";
        assertRefused(attachment.getBytes(StandardCharsets.UTF_8), "form-data");
        String noHeaders = "--" + BOUNDARY + "\r\n\r\nx\r\n--" + BOUNDARY + "--\r\n";
        assertRefused(noHeaders.getBytes(StandardCharsets.UTF_8), "no Content-Disposition with a name");
    }

    @Test
    void moreThanTheMostParts_is400() {
        MultipartForm form = new MultipartForm();
        for (int i = 0; i <= MultipartBody.MAX_PARTS; i++) {
            form.text("f" + i, "x");
        }
        assertRefused(form.bytes(), "more than " + MultipartBody.MAX_PARTS + " parts");
    }

    @Test
    void anEmptyBody_is400() {
        assertRefused(new byte[0], "empty");
    }

    private static void assertRefused(byte[] body, String message) {
        assertThatThrownBy(() -> MultipartBody.parse(body, BOUNDARY)).isInstanceOfSatisfying(
                InvalidRequestException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.code()).isNull();
                    assertThat(e.getMessage()).contains(message);
                });
    }

    private static byte[] concat(byte[]... pieces) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] piece : pieces) {
            out.writeBytes(piece);
        }
        return out.toByteArray();
    }
}
