package dev.imagegateway.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The built-in catalog, the operator's merge over it, and the sentences a malformed catalog fails with. */
class CatalogReaderTest {

    private static ModelCatalog withOperator(String json) {
        return CatalogReader.read(CatalogReader.builtInDocument(),
                Optional.of(CatalogReader.parse("operator.json", json.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void builtIn_shipsEveryModelOfTheContract_withItsSnapshots() {
        ModelCatalog catalog = ModelCatalog.builtIn();
        assertThat(catalog.entries()).extracting(ModelEntry::id).containsExactly("dall-e-2", "dall-e-3", "gpt-image-1",
                "gpt-image-1-mini", "gpt-image-1.5", "chatgpt-image-latest", "gpt-image-2", "gpt-image-2.5-flare",
                "gpt-image-2.5-sunburst", "gpt-image-2.6-flare", "gpt-image-2.6-sunburst");
        assertThat(catalog.find("gpt-image-2-2026-04-21")).map(ModelEntry::id).hasValue("gpt-image-2");
        assertThat(catalog.find("gpt-image-2.5-flare-2026-09-08")).map(ModelEntry::id).hasValue("gpt-image-2.5-flare");
        assertThat(catalog.find("gpt-image-2.5-sunburst-2026-09-08")).map(ModelEntry::id)
                .hasValue("gpt-image-2.5-sunburst");
        assertThat(catalog.find("gpt-image-1").orElseThrow().lifecycle().status()).isEqualTo(Lifecycle.Status.SHUTDOWN);
        assertThat(catalog.find("gpt-image-2.6-flare").orElseThrow().lifecycle().status())
                .isEqualTo(Lifecycle.Status.ACTIVE);
        assertThat(catalog.find("gpt-image-2").orElseThrow().created()).isEqualTo(1776729600L);
        // The contract's lifecycle table, as OpenAI serves the models on 2026-12-01.
        Map<String, String> lifecycles = new LinkedHashMap<>();
        for (ModelEntry entry : catalog.entries()) {
            lifecycles.put(entry.id(), entry.lifecycle().status() + " " + entry.lifecycle().date().map(Object::toString)
                    .orElse("-"));
        }
        assertThat(lifecycles).containsOnly(Map.entry("dall-e-2", "SHUTDOWN 2026-05-12"),
                Map.entry("dall-e-3", "SHUTDOWN 2026-05-12"), Map.entry("gpt-image-1", "SHUTDOWN 2026-10-23"),
                Map.entry("gpt-image-1-mini", "SHUTDOWN 2026-12-01"), Map.entry("gpt-image-1.5", "SHUTDOWN 2026-12-01"),
                Map.entry("chatgpt-image-latest", "SHUTDOWN 2026-12-01"), Map.entry("gpt-image-2", "ACTIVE 2026-04-21"),
                Map.entry("gpt-image-2.5-flare", "ACTIVE 2026-09-08"), Map.entry("gpt-image-2.5-sunburst", "ACTIVE 2026-09-08"),
                Map.entry("gpt-image-2.6-flare", "ACTIVE 2026-11-04"),
                Map.entry("gpt-image-2.6-sunburst", "ACTIVE 2026-11-04"));
    }

    @Test
    void builtIn_editRules_followOpenAi_gptImageSixteenImages_dallE2OneSquarePng_dallE3None() {
        ModelCatalog catalog = ModelCatalog.builtIn();
        EditLimits gptImage2 = catalog.find("gpt-image-2").orElseThrow().rules().edits().orElseThrow();
        assertThat(gptImage2.maxImages()).isEqualTo(16);
        assertThat(gptImage2.maxImageBytes()).isEqualTo(50L * 1024 * 1024);
        assertThat(gptImage2.imageFormats()).containsExactly("png", "jpeg", "webp");
        assertThat(gptImage2.mask()).isTrue();
        assertThat(gptImage2.json()).isTrue();
        EditLimits dallE2 = catalog.find("dall-e-2").orElseThrow().rules().edits().orElseThrow();
        assertThat(dallE2.maxImages()).isEqualTo(1);
        assertThat(dallE2.square()).isTrue();
        assertThat(dallE2.json()).isFalse();
        assertThat(dallE2.imageFormats()).containsExactly("png");
        assertThat(catalog.find("dall-e-3").orElseThrow().rules().edits()).isEmpty();
        // input_fidelity: gpt-image-1 and 1.5 take it; the 1-mini and the whole gpt-image-2 line do not.
        assertThat(catalog.find("gpt-image-1.5").orElseThrow().rules().field("input_fidelity")).isPresent();
        for (String model : new String[] { "gpt-image-1-mini", "gpt-image-2", "gpt-image-2.5-flare",
                "gpt-image-2.6-sunburst" }) {
            assertThat(catalog.find(model).orElseThrow().rules().field("input_fidelity")).as(model).isEmpty();
            assertThat(catalog.find(model).orElseThrow().rules().edits()).as(model).isPresent();
        }
        assertThat(catalog.unknownModels().edits()).isPresent();
        assertThat(catalog.defaultEditModel()).isEqualTo("gpt-image-1.5");
    }

    @Test
    void operator_canSwitchEditsOff_forOneModel() {
        assertThat(withOperator("{\"models\": {\"gpt-image-2\": {\"edits\": null}}}").find("gpt-image-2").orElseThrow()
                .rules().edits()).isEmpty();
    }

    @Test
    void like_copiesRules_notIdentity_andFieldsMergeRuleByRule() {
        ModelCatalog catalog = ModelCatalog.builtIn();
        ModelRules sunburst26 = catalog.find("gpt-image-2.6-sunburst").orElseThrow().rules();
        assertThat(sunburst26.field("quality").orElseThrow().values().orElseThrow()).contains("xhigh", "max");
        assertThat(sunburst26.field("complexity").orElseThrow().values()).isEmpty(); // any string
        assertThat(sunburst26.field("size").orElseThrow().freeSizes()).isPresent();
        assertThat(catalog.find("gpt-image-2.6-sunburst").orElseThrow().snapshots()).isEmpty();
    }

    @Test
    void operator_addsAModel_changesOneField_andSwitchesAnotherOff() {
        ModelCatalog catalog = withOperator("""
                {"models": {
                  "acme-image": {"like": "gpt-image-2", "created": 1800000000, "owned_by": "acme",
                                 "upstream": "acme", "upstream_model": "gpt-image-2", "fallbacks": ["openai"]},
                  "gpt-image-2": {"upstream": "azure", "fields": {"moderation": null}},
                  "dall-e-2": {"enabled": false}
                }}""");
        ModelEntry acme = catalog.find("acme-image").orElseThrow();
        assertThat(acme.upstream()).hasValue("acme");
        assertThat(acme.upstreamModel()).hasValue("gpt-image-2");
        assertThat(acme.fallbacks()).containsExactly("openai");
        assertThat(acme.rules().field("size").orElseThrow().freeSizes()).isPresent();
        ModelEntry gptImage2 = catalog.find("gpt-image-2").orElseThrow();
        assertThat(gptImage2.upstream()).hasValue("azure");
        assertThat(gptImage2.rules().field("moderation")).isEmpty();
        assertThat(gptImage2.rules().field("quality")).isPresent();
        assertThat(gptImage2.snapshots()).containsExactly("gpt-image-2-2026-04-21");
        assertThat(catalog.find("dall-e-2")).isEmpty();
        assertThat(catalog.entries()).extracting(ModelEntry::id).doesNotContain("dall-e-2").contains("acme-image");
    }

    @Test
    void operatorLike_onABuiltInEntry_replacesItsRules_soARetiredNameCanAliasALiveModel() {
        ModelEntry alias = withOperator("""
                {"models": {"dall-e-3": {"like": "gpt-image-2", "upstream_model": "gpt-image-2"}}}""")
                .find("dall-e-3").orElseThrow();
        assertThat(alias.upstreamModel()).hasValue("gpt-image-2");
        assertThat(alias.rules().field("style")).isEmpty();
        assertThat(alias.rules().promptMaxLength()).isEqualTo(32000);
        assertThat(alias.created()).isEqualTo(1698796800L); // identity kept
    }

    @Test
    void operator_mayPointTheSeedDefaultsAndUnknownRulesElsewhere() {
        ModelCatalog catalog = withOperator("""
                {"default_model": "gpt-image-2", "unknown_models": {"n_max": 4}}""");
        assertThat(catalog.defaultModel()).isEqualTo("gpt-image-2");
        assertThat(catalog.unknownModels().nMax()).isEqualTo(4);
        assertThat(catalog.unknownModels().promptMaxLength()).isEqualTo(32000);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown field in an entry     | {"models":{"m1":{"like":"gpt-image-2","n_maxx":3}}}                               | entry 'm1', field 'n_maxx'
            n_max of the wrong type       | {"models":{"m1":{"like":"gpt-image-2","n_max":"ten"}}}                            | entry 'm1', field 'n_max'
            n_max above the API's 10      | {"models":{"m1":{"like":"gpt-image-2","n_max":11}}}                               | entry 'm1', field 'n_max'
            rules missing                 | {"models":{"m1":{"created":1}}}                                                   | entry 'm1', field 'default_response_format'
            like of no entry              | {"models":{"m1":{"like":"gpt-image-7"}}}                                          | entry 'm1', field 'like'
            like in a circle              | {"models":{"m1":{"like":"m2"},"m2":{"like":"m1"}}}                               | field 'like'
            extra field without a type    | {"models":{"m1":{"like":"gpt-image-2","fields":{"depth":{}}}}}                    | entry 'm1', field 'fields.depth.type'
            type of an API field          | {"models":{"m1":{"like":"gpt-image-2","fields":{"n":{}}}}}                        | entry 'm1', field 'fields.n'
            values on an integer          | {"models":{"m1":{"like":"gpt-image-2","fields":{"depth":{"type":"integer","values":["1"]}}}}} | entry 'm1', field 'fields.depth.values'
            a size that is no size        | {"models":{"m1":{"like":"gpt-image-2","fields":{"size":{"values":["big"]}}}}}     | entry 'm1', field 'fields.size.values'
            free sizes of the wrong type  | {"models":{"m1":{"like":"gpt-image-2","fields":{"size":{"free":{"max_edge":"x"}}}}}} | entry 'm1', field 'fields.size.free.max_edge'
            unknown lifecycle status      | {"models":{"m1":{"like":"gpt-image-2","lifecycle":{"status":"sunset"}}}}          | entry 'm1', field 'lifecycle.status'
            edits that is no object       | {"models":{"m1":{"like":"gpt-image-2","edits":true}}}                             | entry 'm1', field 'edits'
            unknown field in edits        | {"models":{"m1":{"like":"gpt-image-2","edits":{"max_images":2,"max_image_bytes":9,"masks":true}}}} | entry 'm1', field 'edits.masks'
            edits without max_images      | {"models":{"m1":{"like":"gpt-image-2","edits":{"max_image_bytes":9}}}}            | entry 'm1', field 'edits.max_images'
            more than 16 edit images      | {"models":{"m1":{"like":"gpt-image-2","edits":{"max_images":17,"max_image_bytes":9}}}} | entry 'm1', field 'edits.max_images'
            an input format OpenAI lacks  | {"models":{"m1":{"like":"gpt-image-2","edits":{"max_images":1,"max_image_bytes":9,"image_formats":["gif"]}}}} | entry 'm1', field 'edits.image_formats'
            input_fidelity of a type      | {"models":{"m1":{"like":"gpt-image-2","fields":{"input_fidelity":{"type":"integer"}}}}} | entry 'm1', field 'fields.input_fidelity.type'
            a date that is no date        | {"models":{"m1":{"like":"gpt-image-2","lifecycle":{"date":"12/01/2026"}}}}        | entry 'm1', field 'lifecycle.date'
            a response format unheard of  | {"models":{"m1":{"like":"gpt-image-2","default_response_format":"png"}}}          | entry 'm1', field 'default_response_format'
            a snapshot taken twice        | {"models":{"m1":{"like":"gpt-image-2","snapshots":["gpt-image-2-2026-04-21"]}}}   | entry 'm1', field 'snapshots'
            fallbacks not a list          | {"models":{"m1":{"like":"gpt-image-2","fallbacks":"openai"}}}                     | entry 'm1', field 'fallbacks'
            an entry that is no object    | {"models":{"m1":3}}                                                               | entry 'm1'
            unknown_models not an object  | {"unknown_models":"refuse"}                                                       | entry 'unknown_models', field 'unknown_models'
            """)
    void malformedEntry_failsWithASentenceNamingEntryAndField(String name, String json, String names) {
        assertThatThrownBy(() -> withOperator(json))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Model catalog operator.json: ")
                .hasMessageContaining(names)
                .hasMessageEndingWith(".");
    }

    @Test
    void malformedJson_orAnUnknownTopLevelField_failsNamingTheDocument() {
        assertThatThrownBy(() -> withOperator("{\"models\": {")).hasMessageStartingWith(
                "Model catalog operator.json is not valid JSON");
        assertThatThrownBy(() -> withOperator("{\"model\": {}}")).hasMessageContaining("operator.json")
                .hasMessageContaining("'model'");
    }

    @Test
    void catalogFile_isReadFromAPath() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("catalog", ".json");
        java.nio.file.Files.writeString(file, "{\"models\":{}}");
        assertThat(new String(CatalogLoader.read(file.toString(), null), StandardCharsets.UTF_8))
                .isEqualTo("{\"models\":{}}");
        assertThatThrownBy(() -> CatalogLoader.read(file + ".missing", null))
                .hasMessageContaining("images.models.catalog");
    }
}
