package dev.imagegateway.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegateway.catalog.ModelCatalog;
import dev.imagegateway.config.UnknownModelPolicy;
import dev.imagegateway.error.InvalidRequestException;
import dev.imagegateway.testsupport.MultipartForm;
import dev.imagegateway.testsupport.TestImages;
import dev.imagegateway.upstream.UpstreamEditForm;
import dev.imagegateway.upstream.UpstreamImageCall;
import dev.imagegateway.wire.EditRequestReader;
import dev.imagegateway.wire.RequestReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every rule of an edit's inputs, from the built-in catalog, without Quarkus. */
class EditRulesTest {

    private final RequestRules requestRules = new RequestRules(ModelCatalog.builtIn(), UnknownModelPolicy.PASS_THROUGH,
            Optional.empty());
    private final EditRules rules = new EditRules(requestRules, null);
    private final EditRequestReader reader = new EditRequestReader(new RequestReader(new ObjectMapper()));

    private GenerationPlan plan(MultipartForm form) {
        return rules.plan(reader.readMultipart(form.bytes(), form.contentType()), "owner");
    }

    private GenerationPlan planJson(String json) {
        return rules.plan(reader.readJson(json.getBytes(StandardCharsets.UTF_8)), "owner");
    }

    private static MultipartForm edit(String model) {
        return new MultipartForm().text("model", model).text("prompt", "a hat");
    }

    private void assertRefused(MultipartForm form, String param, String code, String message) {
        assertThatThrownBy(() -> plan(form)).isInstanceOfSatisfying(InvalidRequestException.class, e -> {
            assertThat(e.param()).isEqualTo(param);
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).contains(message);
        });
    }

    @Test
    void gptImage2_takesSixteenImagesAndAMask_andTheyGoUpstreamAsMultipart() {
        MultipartForm form = edit("gpt-image-2");
        for (int i = 0; i < 16; i++) {
            form.png("image[]", TestImages.png(8, 8));
        }
        GenerationPlan plan = plan(form.png("mask", TestImages.png(8, 8)));

        assertThat(plan.edit()).hasValueSatisfying(edit -> assertThat(edit.images()).hasSize(16));
        UpstreamEditForm upstream = ((UpstreamImageCall.MultipartEdit) plan.upstreamCall()).form();
        assertThat(upstream.files()).extracting(UpstreamEditForm.FilePart::name).containsOnly("image[]", "mask");
    }

    @Test
    void seventeenImages_isTooMany() {
        MultipartForm form = edit("gpt-image-2");
        for (int i = 0; i < 17; i++) {
            form.png("image[]", TestImages.png(8, 8));
        }
        assertRefused(form, "image", "array_above_max_length", "at most 16 images, but got 17");
    }

    @Test
    void noImage_isAMissingParameter() {
        assertRefused(edit("gpt-image-2"), "image", "missing_required_parameter", "'image'");
        assertThatThrownBy(() -> planJson("{\"model\":\"gpt-image-2\",\"prompt\":\"x\"}"))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.param()).isEqualTo("images"));
    }

    @Test
    void aModelThatDoesNotEdit_isRefusedOnModel() {
        assertRefused(edit("dall-e-3").png("image", TestImages.png(8, 8)), "model", "invalid_value",
                "does not edit images");
    }

    @Test
    void dallE2_takesOneSquarePng_multipartOnly() {
        assertThat(plan(edit("dall-e-2").png("image", TestImages.png(8, 8))).upstreamRequest().responseFormat())
                .isEqualTo("b64_json");
        assertRefused(edit("dall-e-2").png("image", TestImages.png(8, 8)).png("image[]", TestImages.png(8, 8)),
                "image", "array_above_max_length", "at most 1 image,");
        assertRefused(edit("dall-e-2").png("image", TestImages.png(8, 6)), "image[0]", "invalid_image_dimensions",
                "square");
        assertRefused(edit("dall-e-2").file("image", "a.jpg", "image/jpeg", TestImages.jpeg(8, 8)), "image[0]",
                "invalid_image_format", "edits png images, but got a JPEG");
        assertThatThrownBy(() -> planJson("{\"model\":\"dall-e-2\",\"prompt\":\"x\",\"images\":[{\"image_url\":"
                + "\"https://a.example/b.png\"}]}")).isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.getMessage()).contains("multipart/form-data"));
    }

    @Test
    void anImageAtOrOverTheModelsLimit_isTooLarge_beforeItsHeaderIsRead() {
        byte[] fourMegabytes = TestImages.pngSignedNoise(4 * 1024 * 1024, 1);
        assertRefused(edit("dall-e-2").png("image", fourMegabytes), "image[0]", "image_too_large",
                "smaller than 4194304 bytes");
    }

    @Test
    void aPartThatIsNoImage_isRefusedByItsSignature_whateverItsContentTypeSays() {
        assertRefused(edit("gpt-image-2").file("image", "x.png", "image/png", "not a png".getBytes()), "image[0]",
                "invalid_image_format", "not a PNG, JPEG or WebP");
        assertRefused(edit("gpt-image-2").file("image", "x.gif", "image/gif", TestImages.gif(4, 4)), "image[0]",
                "invalid_image_format", "");
    }

    @Test
    void theMask_mustBeAPngWithAlpha_asLargeAsTheFirstImage() {
        assertRefused(edit("gpt-image-2").png("image", TestImages.png(8, 8)).png("mask", TestImages.png(8, 9)),
                "mask", "invalid_image_dimensions", "the mask is 8x9 but the image it applies to ('image[0]') is 8x8");
        assertRefused(edit("gpt-image-2").png("image", TestImages.png(8, 8)).png("mask", TestImages.opaquePng(8, 8)),
                "mask", "invalid_image_format", "a PNG without alpha");
        assertRefused(edit("gpt-image-2").png("image", TestImages.png(8, 8))
                .file("mask", "m.jpg", "image/jpeg", TestImages.jpeg(8, 8)), "mask", "invalid_image_format", "JPEG");
        // A mask over a JPEG input is fine: dimensions are what must match, not formats.
        assertThat(plan(edit("gpt-image-2").file("image", "a.jpg", "image/jpeg", TestImages.jpeg(8, 8))
                .png("mask", TestImages.png(8, 8))).edit()).isPresent();
    }

    @Test
    void aMaskThatIsNoImage_isRefusedOnMask_notA500() {
        assertRefused(edit("gpt-image-2").png("image", TestImages.png(8, 8)).png("mask", "not a png".getBytes()),
                "mask", "invalid_image_format", "not a PNG");
    }

    @Test
    void inputFidelity_isTheCatalogsToAllow_andNeverAGenerationField() {
        assertThat(plan(edit("gpt-image-1").text("input_fidelity", "high").png("image", TestImages.png(8, 8)))
                .extraFields()).containsEntry("input_fidelity", "high");
        assertRefused(edit("gpt-image-1").text("input_fidelity", "medium").png("image", TestImages.png(8, 8)),
                "input_fidelity", "invalid_value", "'high' and 'low'");
        assertRefused(edit("gpt-image-2").text("input_fidelity", "high").png("image", TestImages.png(8, 8)),
                "input_fidelity", "unknown_parameter", "Unknown parameter: 'input_fidelity'.");
        assertRefused(edit("gpt-image-1-mini").text("input_fidelity", "low").png("image", TestImages.png(8, 8)),
                "input_fidelity", "unknown_parameter", "");
        assertThatThrownBy(() -> requestRules.plan(new RequestReader(new ObjectMapper()).read(
                "{\"model\":\"gpt-image-1\",\"prompt\":\"x\",\"input_fidelity\":\"high\"}".getBytes())))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.code()).isEqualTo("unknown_parameter"));
    }

    @Test
    void theGenerationFieldRules_holdForEdits() {
        assertRefused(edit("gpt-image-2").text("style", "vivid").png("image", TestImages.png(8, 8)), "style",
                "unknown_parameter", "");
        assertRefused(edit("gpt-image-2").text("n", "11").png("image", TestImages.png(8, 8)), "n",
                "integer_above_max_value", "");
        assertRefused(new MultipartForm().text("model", "gpt-image-2").png("image", TestImages.png(8, 8)), "prompt",
                "missing_required_parameter", "");
    }

    @Test
    void withoutAModel_anEditGoesToOpenAisDefaultEditModel() {
        assertThat(plan(new MultipartForm().text("prompt", "x").png("image", TestImages.png(8, 8))).modelName())
                .isEqualTo("gpt-image-1.5");
    }

    @Test
    void anUnknownModel_passesThroughWithTheGenericEditRules() {
        MultipartForm form = edit("gpt-image-9").text("input_fidelity", "whatever");
        for (int i = 0; i < 16; i++) {
            form.file("image[]", "a.webp", "image/webp", TestImages.webp());
        }
        assertThat(plan(form).catalogued()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = { "file:///etc/passwd", "ftp://example.com/a.png", "otter.png", "http:///a.png",
            "data:image/png,notbase64", "data:image/png;base64,@@@@" })
    void anImageUrlThatIsNeitherAWebUrlNorABase64DataUrl_isRefused(String url) {
        assertThatThrownBy(() -> planJson("{\"model\":\"gpt-image-2\",\"prompt\":\"x\",\"images\":[{\"image_url\":\"" + url
                + "\"}]}")).isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.param()).isEqualTo("images[0].image_url");
                    assertThat(e.code()).isEqualTo("invalid_value");
                });
    }

    @Test
    void aDataUrlOfSomethingElse_isNoImage() {
        String text = java.util.Base64.getEncoder().encodeToString("hello, world".getBytes());
        assertThatThrownBy(() -> planJson("{\"model\":\"gpt-image-2\",\"prompt\":\"x\",\"images\":[{\"image_url\":"
                + "\"data:image/png;base64," + text + "\"}]}")).isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.code()).isEqualTo("invalid_image_format"));
    }

    @Test
    void aMaskByUrl_isCheckedAgainstTheFirstImage_whenBothAreDataUrls() {
        String image = "data:image/png;base64," + TestImages.base64(TestImages.png(8, 8));
        String mask = "data:image/png;base64," + TestImages.base64(TestImages.png(4, 4));
        assertThatThrownBy(() -> planJson("{\"model\":\"gpt-image-2\",\"prompt\":\"x\",\"images\":[{\"image_url\":\""
                + image + "\"}],\"mask\":{\"image_url\":\"" + mask + "\"}}"))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.code()).isEqualTo("invalid_image_dimensions"));
        assertThat(planJson("{\"model\":\"gpt-image-2\",\"prompt\":\"x\",\"images\":[{\"image_url\":"
                + "\"https://a.example/b.png\"}],\"mask\":{\"image_url\":\"" + mask + "\"}}").edit()).isPresent();
    }
}
