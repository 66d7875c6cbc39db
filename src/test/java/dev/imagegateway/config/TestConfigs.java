package dev.imagegateway.config;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** {@link GatewayConfig} built from properties alone, for tests that run without Quarkus. */
public final class TestConfigs {

    /** The properties without which the gateway does not start. */
    public static final Map<String, String> REQUIRED = Map.of(
            "images.upstream.base-url", "https://upstream.example",
            "images.bucket", "my-images",
            "images.auth.key-hashes", "1baf66dd75a1739b6c7b60bd7252f2f2ce2f56640b808c247d2304f77fb2ad98");

    private TestConfigs() {
    }

    /** The required properties and {@code extra} over them. */
    public static GatewayConfig load(Map<String, String> extra) {
        Map<String, String> properties = new HashMap<>(REQUIRED);
        properties.putAll(extra);
        return exactly(properties);
    }

    /** Exactly {@code properties}, required ones included or not. */
    public static GatewayConfig exactly(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(GatewayConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 500))
                .build();
        return config.getConfigMapping(GatewayConfig.class);
    }
}
