package dev.imagegateway.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegateway.api.RequestReader;
import dev.imagegateway.error.InvalidRequestException;
import dev.imagegateway.image.ImageType;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RequestRulesTest {

    private final RequestReader reader = new RequestReader(new ObjectMapper());

    private GenerationPlan plan(String body) {
        return RequestRules.plan(reader.read(body.getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.imagegateway.generation.ContractCases#valid")
    void everyRule_passingCase_isAccepted(String name, String body) {
        assertThat(plan(body)).isNotNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.imagegateway.generation.ContractCases#invalid")
    void everyRule_failingCase_namesTheFieldAndCode(String name, String body, String param, String code) {
        assertThatThrownBy(() -> plan(body))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.param()).isEqualTo(param);
                    assertThat(e.code()).isEqualTo(code);
                    assertThat(e.getMessage()).isNotBlank();
                });
    }

    @Test
    void promptOnly_resolvesOpenAiDefaults() {
        GenerationPlan plan = plan("{\"prompt\":\"otter\"}");
        assertThat(plan.model()).isEqualTo(ImageModel.DALL_E_2);
        assertThat(plan.modelName()).isEqualTo("dall-e-2");
        assertThat(plan.n()).isEqualTo(1);
        assertThat(plan.size()).isEqualTo("1024x1024");
        assertThat(plan.responseFormat()).isEqualTo(ResponseFormat.URL);
        assertThat(plan.expectedType()).isEqualTo(ImageType.PNG);
    }

    @Test
    void dallEAutoSize_meansSquare1024() {
        assertThat(plan("{\"model\":\"dall-e-3\",\"prompt\":\"x\",\"size\":\"auto\"}").size()).isEqualTo("1024x1024");
    }

    @Test
    void gptImageOnlyField_withoutModel_meansGptImage1WithBase64ByDefault() {
        GenerationPlan plan = plan("{\"prompt\":\"x\",\"output_format\":\"webp\"}");
        assertThat(plan.model()).isEqualTo(ImageModel.GPT_IMAGE_1);
        assertThat(plan.modelName()).isEqualTo("gpt-image-1");
        assertThat(plan.responseFormat()).isEqualTo(ResponseFormat.B64_JSON);
        assertThat(plan.expectedType()).isEqualTo(ImageType.WEBP);
        assertThat(plan.size()).isNull();
    }

    @Test
    void snapshot_followsItsFamily_andKeepsItsName() {
        GenerationPlan plan = plan("{\"model\":\"gpt-image-2-2026-04-21\",\"prompt\":\"x\",\"size\":\"1536x864\"}");
        assertThat(plan.model()).isEqualTo(ImageModel.GPT_IMAGE_2);
        assertThat(plan.modelName()).isEqualTo("gpt-image-2-2026-04-21");
    }

    @Test
    void promptLength_countsCharactersNotUtf16Units() {
        String emoji = "\uD83E\uDDA6".repeat(1000); // 1000 otters, 2000 UTF-16 units
        assertThat(plan("{\"prompt\":\"" + emoji + "\"}").prompt()).isEqualTo(emoji);
    }

    @Test
    void check_collectsEveryViolation_butPlanReportsTheFirst() {
        ImageRequest request = reader.read(
                "{\"model\":\"dall-e-3\",\"prompt\":\"x\",\"n\":3,\"size\":\"256x256\",\"style\":\"bold\"}"
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(RequestRules.check(request)).extracting(Violation::param).containsExactly("n", "size", "style");
        assertThatThrownBy(() -> RequestRules.plan(request))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.param()).isEqualTo("n"));
    }

    @Test
    void gptImage2Sizes_followTheArithmetic() {
        assertThat(RequestRules.customSizeProblem("1536x864")).isEmpty();
        assertThat(RequestRules.customSizeProblem("3840x2160")).isEmpty();
        assertThat(RequestRules.customSizeProblem("2160x3840")).isEmpty();
        assertThat(RequestRules.customSizeProblem("1008x3024")).isEmpty(); // exactly 1:3
        assertThat(RequestRules.customSizeProblem("1024x1032")).get().asString().contains("16");
        assertThat(RequestRules.customSizeProblem("3072x1008")).get().asString().contains("aspect");
        assertThat(RequestRules.customSizeProblem("3856x1936")).get().asString().contains("edge");
        assertThat(RequestRules.customSizeProblem("3840x2176")).get().asString().contains("pixels");
    }
}
