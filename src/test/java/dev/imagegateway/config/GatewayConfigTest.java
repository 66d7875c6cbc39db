package dev.imagegateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagegateway.api.GatewayKeys;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The configuration mapping as an operator meets it: defaults, and clear words for what is missing. */
class GatewayConfigTest {

    private static final Map<String, String> COMPLETE = TestConfigs.REQUIRED;

    static GatewayConfig load(Map<String, String> properties) {
        return TestConfigs.exactly(properties);
    }

    private static Map<String, String> without(String key) {
        Map<String, String> properties = new HashMap<>(COMPLETE);
        properties.remove(key);
        return properties;
    }

    @Test
    void defaults_keepTheProductsPromises() {
        GatewayConfig config = load(COMPLETE);
        assertThat(config.urlTtl()).isEqualTo(Duration.ofMinutes(60));
        assertThat(config.upstream().timeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(config.s3().pathStyle()).isFalse();
        assertThat(config.limits().maxRequestBytes()).isEqualTo(1_048_576);
        assertThat(config.limits().maxResponseBytes()).isLessThan(6_291_456);
    }

    @Test
    void missingBucket_failsNamingTheProperty() {
        assertThatThrownBy(() -> load(without("images.bucket"))).hasMessageContaining("images.bucket");
    }

    @Test
    void missingUpstreamUrl_failsNamingTheProperty() {
        assertThatThrownBy(() -> load(without("images.upstream.base-url")))
                .hasMessageContaining("images.upstream.base-url");
    }

    @Test
    void malformedKeyHash_failsAtStartUpNamingTheProperty() {
        Map<String, String> properties = new HashMap<>(COMPLETE);
        properties.put("images.auth.key-hashes", "sk-gateway-plaintext-key");
        GatewayConfig config = load(properties);
        assertThatThrownBy(() -> new GatewayKeys(config)).hasMessageContaining("images.auth.key-hashes");
    }
}
