package dev.imagegateway.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegateway.error.InvalidRequestException;
import dev.imagegateway.testsupport.MultipartForm;
import dev.imagegateway.testsupport.TestImages;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Both forms of an edit read into one request, with the types decided as OpenAI decides them. */
class EditRequestReaderTest {

    private final EditRequestReader reader = new EditRequestReader(new RequestReader(new ObjectMapper()));

    @Test
    void multipart_readsTextFieldsTyped_imagesInOrder_andTheMask() {
        MultipartForm form = new MultipartForm().text("prompt", "a hat").text("n", "2").text("stream", "true")
                .text("input_fidelity", "high").png("image", TestImages.png(4, 4)).png("image[]", TestImages.png(4, 4))
                .png("mask", TestImages.png(4, 4));

        EditRequest request = reader.readMultipart(form.bytes(), form.contentType());

        assertThat(request.form()).isEqualTo(EditRequest.Form.MULTIPART);
        assertThat(request.fields().n()).isEqualTo(2L);
        assertThat(request.fields().stream()).isTrue();
        assertThat(request.fields().extra()).containsEntry("input_fidelity", "high");
        assertThat(request.images()).extracting(EditRequest.EditImage::param).containsExactly("image[0]", "image[1]");
        assertThat(request.mask()).map(EditRequest.EditImage::param).hasValue("mask");
        assertThat(request.imagesParam()).isEqualTo("image");
    }

    @Test
    void multipart_aNonIntegerN_isInvalidType_andABinaryTextField_isRefusedByName() {
        MultipartForm notANumber = new MultipartForm().text("prompt", "x").text("n", "two");
        assertThatThrownBy(() -> reader.readMultipart(notANumber.bytes(), notANumber.contentType()))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.param()).isEqualTo("n");
                    assertThat(e.code()).isEqualTo("invalid_type");
                });
        MultipartForm binaryPrompt = new MultipartForm().file("prompt", "p.bin", "application/octet-stream",
                new byte[] { (byte) 0xC3, 0x28 });
        assertThatThrownBy(() -> reader.readMultipart(binaryPrompt.bytes(), binaryPrompt.contentType()))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.param()).isEqualTo("prompt"));
    }

    @Test
    void multipart_aFieldGivenTwice_is400NamingIt() {
        MultipartForm form = new MultipartForm().text("prompt", "x").text("model", "a").text("model", "b");
        assertThatThrownBy(() -> reader.readMultipart(form.bytes(), form.contentType()))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.param()).isEqualTo("model"));
    }

    @Test
    void json_readsImageReferencesAndTheMask() {
        EditRequest request = reader.readJson(("{\"prompt\":\"x\",\"images\":[{\"image_url\":\"https://a/b.png\"},"
                + "{\"file_id\":\"file-1\"}],\"mask\":{\"file_id\":\"file-2\"},\"input_fidelity\":\"low\"}")
                .getBytes(StandardCharsets.UTF_8));

        assertThat(request.form()).isEqualTo(EditRequest.Form.JSON);
        assertThat(request.images()).containsExactly(new EditRequest.Reference("images[0]", "https://a/b.png", null),
                new EditRequest.Reference("images[1]", null, "file-1"));
        assertThat(request.mask()).hasValue(new EditRequest.Reference("mask", null, "file-2"));
        assertThat(request.fields().extra()).containsOnlyKeys("input_fidelity");
    }

    @Test
    void json_aReferenceWithBothOrNeither_orAnUnknownKey_orImagesNotAnArray_is400NamingIt() {
        assertRefused("{\"prompt\":\"x\",\"images\":[{\"image_url\":\"https://a\",\"file_id\":\"file-1\"}]}", "images[0]");
        assertRefused("{\"prompt\":\"x\",\"images\":[{}]}", "images[0]");
        assertRefused("{\"prompt\":\"x\",\"images\":[{\"url\":\"https://a\"}]}", "images[0].url");
        assertRefused("{\"prompt\":\"x\",\"images\":{\"image_url\":\"https://a\"}}", "images");
        assertRefused("{\"prompt\":\"x\",\"images\":[\"https://a\"]}", "images[0]");
        assertRefused("{\"prompt\":\"x\",\"images\":[{\"image_url\":5}]}", "images[0].image_url");
    }

    private void assertRefused(String json, String param) {
        assertThatThrownBy(() -> reader.readJson(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.param()).isEqualTo(param));
    }
}
