package dev.imagegateway.batch.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegateway.config.TestConfigs;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How long a cancelled or expired batch waits for a line started just before follows the slowest
 * upstream: with the default upstream's timeout, a line routed to a slower named upstream could still be
 * running, and be billed, when the batch is finalized without it and lists it as cancelled.
 */
class CancelWaitTest {

    @Test
    void aCancelledBatchWaitsForALineOfTheSlowestUpstream() {
        BatchFinalizer finalizer = new BatchFinalizer(null, null, null, null, null, TestConfigs.load(Map.of(
                "images.upstream.timeout", "20s",
                "images.s3.reserve", "5s",
                "images.batch.deadline-margin", "10s",
                "images.upstreams.slow.base-url", "https://slow.example",
                "images.upstreams.slow.timeout", "300s")));

        // 300 s upstream + 5 s storage + 2 s to answer + 10 s margin + 1 s.
        assertThat(finalizer.graceSeconds()).isEqualTo(318);
    }
}
