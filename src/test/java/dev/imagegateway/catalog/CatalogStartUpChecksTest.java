package dev.imagegateway.catalog;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagegateway.config.GatewayConfig;
import dev.imagegateway.config.TestConfigs;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What makes no sense once the catalog meets the configuration stops start-up, with a sentence that names it. */
class CatalogStartUpChecksTest {

    private static ModelCatalog catalog(String json) {
        return CatalogReader.read(CatalogReader.builtInDocument(),
                Optional.of(CatalogReader.parse("test.json", json.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void entryNamingAnUnconfiguredUpstream_failsNamingEntryFieldAndProperty() {
        ModelCatalog catalog = catalog("{\"models\":{\"acme\":{\"like\":\"gpt-image-2\",\"upstream\":\"acme\"}}}");
        GatewayConfig config = TestConfigs.load(Map.of());

        assertThatThrownBy(() -> CatalogLoader.requireConfiguredUpstreams(catalog, config))
                .hasMessageContaining("entry 'acme'").hasMessageContaining("field 'upstream'")
                .hasMessageContaining("images.upstreams.acme.base-url");
    }

    @Test
    void unconfiguredFallback_failsNamingTheFallbacksField() {
        ModelCatalog catalog = catalog("{\"models\":{\"acme\":{\"like\":\"gpt-image-2\",\"upstream\":\"acme\","
                + "\"fallbacks\":[\"default\",\"spare\"]}}}");
        GatewayConfig config = TestConfigs.load(Map.of("images.upstreams.acme.base-url", "https://acme.example"));

        assertThatThrownBy(() -> CatalogLoader.requireConfiguredUpstreams(catalog, config))
                .hasMessageContaining("field 'fallbacks'").hasMessageContaining("'spare'");
    }

    @Test
    void defaultModelThatRefusalWouldRefuse_failsStartUpNamingTheProperty() {
        GatewayConfig config = TestConfigs.load(Map.of("images.models.default", "gpt-image-9",
                "images.models.unknown", "refuse"));

        assertThatThrownBy(() -> CatalogLoader.requireServableDefault(ModelCatalog.builtIn(), config))
                .hasMessageContaining("images.models.default").hasMessageContaining("'gpt-image-9'");
    }
}
