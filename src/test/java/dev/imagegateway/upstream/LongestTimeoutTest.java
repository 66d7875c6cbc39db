package dev.imagegateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegateway.config.TestConfigs;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LongestTimeoutTest {

    @Test
    void defaultUpstreamAlone_isItsTimeout() {
        assertThat(Upstreams.longestTimeout(TestConfigs.load(Map.of("images.upstream.timeout", "40s"))))
                .isEqualTo(Duration.ofSeconds(40));
    }

    @Test
    void aSlowerNamedUpstream_isTheLongest_andOneWithoutItsOwnTimeoutHasTheDefaults() {
        assertThat(Upstreams.longestTimeout(TestConfigs.load(Map.of(
                "images.upstream.timeout", "40s",
                "images.upstreams.fast.base-url", "https://fast.example",
                "images.upstreams.fast.timeout", "10s",
                "images.upstreams.slow.base-url", "https://slow.example",
                "images.upstreams.slow.timeout", "5m",
                "images.upstreams.plain.base-url", "https://plain.example"))))
                .isEqualTo(Duration.ofMinutes(5));
        assertThat(Upstreams.longestTimeout(TestConfigs.load(Map.of(
                "images.upstream.timeout", "40s",
                "images.upstreams.fast.base-url", "https://fast.example",
                "images.upstreams.fast.timeout", "10s"))))
                .isEqualTo(Duration.ofSeconds(40));
    }
}
