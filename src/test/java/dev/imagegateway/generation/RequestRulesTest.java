package dev.imagegateway.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegateway.catalog.FreeSizes;
import dev.imagegateway.catalog.ModelCatalog;
import dev.imagegateway.config.UnknownModelPolicy;
import dev.imagegateway.error.InvalidRequestException;
import dev.imagegateway.image.ImageType;
import dev.imagegateway.wire.ImageRequest;
import dev.imagegateway.wire.RequestReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The rule engine over the built-in catalog, without Quarkus. */
class RequestRulesTest {

    private static final ModelCatalog CATALOG = ModelCatalog.builtIn();

    private final RequestReader reader = new RequestReader(new ObjectMapper());
    private final RequestRules rules = new RequestRules(CATALOG, UnknownModelPolicy.PASS_THROUGH, Optional.empty());

    private GenerationPlan plan(String body) {
        return plan(rules, body);
    }

    private GenerationPlan plan(RequestRules with, String body) {
        return with.plan(reader.read(body.getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.imagegateway.generation.ContractCases#valid")
    void everyRule_passingCase_isAccepted(String name, String body) {
        assertThat(plan(body).prompt()).isNotNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.imagegateway.generation.ContractCases#invalid")
    void everyRule_failingCase_namesTheTypeFieldAndCode(String name, String body, String type, String param,
            String code) {
        assertThatThrownBy(() -> plan(body))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.type()).isEqualTo(type);
                    assertThat(e.param()).isEqualTo(param);
                    assertThat(e.code()).isEqualTo(code);
                    assertThat(e.getMessage()).isNotBlank();
                });
    }

    @Test
    void promptOnly_resolvesOpenAiDefaults() {
        GenerationPlan plan = plan("{\"prompt\":\"otter\"}");
        assertThat(plan.modelName()).isEqualTo("dall-e-2");
        assertThat(plan.upstreamModel()).isEqualTo("dall-e-2");
        assertThat(plan.catalogued()).isTrue();
        assertThat(plan.n()).isEqualTo(1);
        assertThat(plan.size()).isEqualTo("1024x1024");
        assertThat(plan.responseFormat()).isEqualTo(ResponseFormat.URL);
        assertThat(plan.upstreamResponseFormat()).hasValue("b64_json");
        assertThat(plan.expectedType()).isEqualTo(ImageType.PNG);
        assertThat(plan.upstream()).isEmpty();
        assertThat(plan.fallbacks()).isEmpty();
    }

    @Test
    void dallEAutoSize_meansSquare1024() {
        assertThat(plan("{\"model\":\"dall-e-3\",\"prompt\":\"x\",\"size\":\"auto\"}").size()).isEqualTo("1024x1024");
    }

    @Test
    void gptImageOnlyField_withoutModel_meansGptImage1WithBase64ByDefault_andNoResponseFormatUpstream() {
        GenerationPlan plan = plan("{\"prompt\":\"x\",\"output_format\":\"webp\"}");
        assertThat(plan.modelName()).isEqualTo("gpt-image-1");
        assertThat(plan.responseFormat()).isEqualTo(ResponseFormat.B64_JSON);
        assertThat(plan.upstreamResponseFormat()).isEmpty();
        assertThat(plan.expectedType()).isEqualTo(ImageType.WEBP);
        assertThat(plan.size()).isNull();
    }

    @Test
    void configuredDefaultModel_isUsedWhenTheRequestNamesNone_evenWithGptImageFields() {
        RequestRules withDefault = new RequestRules(CATALOG, UnknownModelPolicy.PASS_THROUGH,
                Optional.of("gpt-image-2"));
        assertThat(plan(withDefault, "{\"prompt\":\"x\"}").modelName()).isEqualTo("gpt-image-2");
        assertThat(plan(withDefault, "{\"prompt\":\"x\",\"background\":\"opaque\"}").modelName())
                .isEqualTo("gpt-image-2");
        assertThat(plan(withDefault, "{\"prompt\":\"x\",\"size\":\"2048x1152\"}").size()).isEqualTo("2048x1152");
    }

    @Test
    void snapshot_followsItsEntry_andKeepsItsName() {
        GenerationPlan plan = plan("{\"model\":\"gpt-image-2-2026-04-21\",\"prompt\":\"x\",\"size\":\"1536x864\"}");
        assertThat(plan.modelName()).isEqualTo("gpt-image-2-2026-04-21");
        assertThat(plan.upstreamModel()).isEqualTo("gpt-image-2-2026-04-21");
        assertThat(plan.catalogued()).isTrue();
    }

    @Test
    void unknownModel_passesThroughWithGenericGptImageRules() {
        GenerationPlan plan = plan("{\"model\":\"gpt-image-9\",\"prompt\":\"x\",\"size\":\"17x3\",\"output_format\":\"avif\"}");
        assertThat(plan.catalogued()).isFalse();
        assertThat(plan.upstreamModel()).isEqualTo("gpt-image-9");
        assertThat(plan.size()).isEqualTo("17x3");
        assertThat(plan.responseFormat()).isEqualTo(ResponseFormat.B64_JSON);
        assertThat(plan.upstreamResponseFormat()).isEmpty();
        assertThat(plan.expectedType()).isEqualTo(ImageType.UNCHECKED);
    }

    @Test
    void unknownModel_underRefuse_isOpenAisUserError_onModel() {
        RequestRules refusing = new RequestRules(CATALOG, UnknownModelPolicy.REFUSE, Optional.empty());
        assertThatThrownBy(() -> plan(refusing, "{\"model\":\"dall-e-4\",\"prompt\":\"x\"}"))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.type()).isEqualTo("image_generation_user_error");
                    assertThat(e.param()).isEqualTo("model");
                    assertThat(e.code()).isEqualTo("invalid_value");
                    assertThat(e.getMessage()).isEqualTo("The model 'dall-e-4' does not exist.");
                });
        assertThat(plan(refusing, "{\"model\":\"gpt-image-2\",\"prompt\":\"x\"}").modelName()).isEqualTo("gpt-image-2");
    }

    @Test
    void extraFieldOfTheEntry_isCarriedToTheUpstream_andNullMeansNotSent() {
        assertThat(plan("{\"model\":\"gpt-image-2.6-flare\",\"prompt\":\"x\",\"complexity\":\"intricate\"}")
                .extraFields()).isEqualTo(Map.of("complexity", "intricate"));
        assertThat(plan("{\"model\":\"gpt-image-2.6-flare\",\"prompt\":\"x\",\"complexity\":null}").extraFields())
                .isEmpty();
    }

    @Test
    void newFormats_areCheckedBySignatureWhereTheyHaveOne() {
        assertThat(plan("{\"model\":\"gpt-image-2.5-flare\",\"prompt\":\"x\",\"output_format\":\"gif\"}").expectedType())
                .isEqualTo(ImageType.GIF);
        ImageType svg = plan("{\"model\":\"gpt-image-2.6-flare\",\"prompt\":\"x\",\"output_format\":\"svg\"}")
                .expectedType();
        assertThat(svg).isEqualTo(ImageType.SVG);
        assertThat(svg.hasSignature()).isFalse();
    }

    @Test
    void promptLength_countsCharactersNotUtf16Units() {
        String emoji = "\uD83E\uDDA6".repeat(1000); // 1000 otters, 2000 UTF-16 units
        assertThat(plan("{\"prompt\":\"" + emoji + "\"}").prompt()).isEqualTo(emoji);
    }

    @Test
    void messages_readAsOpenAis() {
        assertThatThrownBy(() -> plan("{\"prompt\":\"x\",\"n\":11}")).hasMessage(
                "Invalid 'n': integer above maximum value. Expected a value <= 10, but got 11 instead.");
        assertThatThrownBy(() -> plan("{\"model\":\"gpt-image-1\",\"prompt\":\"x\",\"style\":\"vivid\"}"))
                .hasMessage("Unknown parameter: 'style'.");
        assertThatThrownBy(() -> plan("{\"prompt\":\"x\",\"quality\":\"hd\"}"))
                .hasMessage("Invalid value: 'hd'. Supported values are: 'auto' and 'standard'.");
    }

    @Test
    void check_collectsEveryViolation_butPlanReportsTheFirst() {
        ImageRequest request = reader.read(
                "{\"model\":\"dall-e-3\",\"prompt\":\"x\",\"n\":3,\"size\":\"256x256\",\"style\":\"bold\"}"
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(rules.check(request)).extracting(Violation::param).containsExactly("n", "size", "style");
        assertThatThrownBy(() -> rules.plan(request))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.param()).isEqualTo("n"));
    }

    @Test
    void freeSizes_followTheCatalogsArithmetic() {
        FreeSizes free = CATALOG.find("gpt-image-2").orElseThrow().rules().field("size").orElseThrow().freeSizes()
                .orElseThrow();
        assertThat(SizeRules.freeSizeProblem("1536x864", free)).isEmpty();
        assertThat(SizeRules.freeSizeProblem("3840x2160", free)).isEmpty();
        assertThat(SizeRules.freeSizeProblem("2160x3840", free)).isEmpty();
        assertThat(SizeRules.freeSizeProblem("1008x3024", free)).isEmpty(); // exactly 1:3
        assertThat(SizeRules.freeSizeProblem("1024x640", free)).isEmpty(); // exactly 655,360 pixels
        assertThat(SizeRules.freeSizeProblem("1024x1032", free)).get().asString().contains("16");
        assertThat(SizeRules.freeSizeProblem("3072x1008", free)).get().asString().contains("aspect");
        assertThat(SizeRules.freeSizeProblem("3856x1936", free)).get().asString().contains("edge");
        assertThat(SizeRules.freeSizeProblem("3840x2176", free)).get().asString().contains("pixels");
        assertThat(SizeRules.freeSizeProblem("1024x624", free)).get().asString().contains("655360");
    }
}
