package dev.imagegateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class UpstreamRetryTest {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final UpstreamRetry retry = new UpstreamRetry(3, Duration.ofMillis(500), clock, () -> 1.0);

    private Instant in(Duration left) {
        return NOW.plus(left);
    }

    @Test
    void onlyStatusesThatCannotHaveBeenBilledAreRetryable() {
        assertThat(UpstreamRetry.isRetryableStatus(429)).isTrue();
        assertThat(UpstreamRetry.isRetryableStatus(502)).isTrue();
        assertThat(UpstreamRetry.isRetryableStatus(503)).isTrue();
        assertThat(UpstreamRetry.isRetryableStatus(504)).isFalse();
        assertThat(UpstreamRetry.isRetryableStatus(500)).isFalse();
        assertThat(UpstreamRetry.isRetryableStatus(400)).isFalse();
        assertThat(UpstreamRetry.isRetryableStatus(404)).isFalse();
        assertThat(UpstreamRetry.isRetryableStatus(200)).isFalse();
    }

    @Test
    void connectFailuresAreRetryable_droppedConnectionsAreNot() {
        assertThat(UpstreamRetry.isConnectFailure(new RuntimeException(new ConnectException("refused")))).isTrue();
        assertThat(UpstreamRetry.isConnectFailure(new IOException("Connection was closed"))).isFalse();
    }

    @Test
    void backoffDoublesWithJitter_andIsCapped() {
        UpstreamRetry noJitter = new UpstreamRetry(10, Duration.ofMillis(500), clock, () -> 0.0);
        assertThat(noJitter.backoff(1)).isEqualTo(Duration.ofMillis(250));
        assertThat(noJitter.backoff(2)).isEqualTo(Duration.ofMillis(500));
        assertThat(retry.backoff(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(retry.backoff(2)).isEqualTo(Duration.ofMillis(1000));
        assertThat(retry.backoff(30)).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void attemptsAreBounded() {
        assertThat(retry.delayBeforeNext(1, null, in(Duration.ofMinutes(1)))).hasValue(Duration.ofMillis(500));
        assertThat(retry.delayBeforeNext(2, null, in(Duration.ofMinutes(1)))).hasValue(Duration.ofMillis(1000));
        assertThat(retry.delayBeforeNext(3, null, in(Duration.ofMinutes(1)))).isEmpty();
    }

    @Test
    void retryAfterIsHonoured_inSecondsAndAsADate() {
        assertThat(retry.delayBeforeNext(1, "7", in(Duration.ofMinutes(1)))).hasValue(Duration.ofSeconds(7));
        assertThat(retry.delayBeforeNext(1, "Thu, 26 Nov 2026 12:00:20 GMT", in(Duration.ofMinutes(1))))
                .hasValue(Duration.ofSeconds(20));
        assertThat(retry.delayBeforeNext(1, "soon", in(Duration.ofMinutes(1)))).hasValue(Duration.ofMillis(500));
    }

    @Test
    void noRetryThatWouldRunPastTheDeadline() {
        assertThat(retry.delayBeforeNext(1, "30", in(Duration.ofSeconds(20)))).isEmpty();
        assertThat(retry.delayBeforeNext(1, null, in(Duration.ofMillis(1200)))).isEmpty();
        assertThat(retry.delayBeforeNext(1, null, in(Duration.ofMillis(1600)))).hasValue(Duration.ofMillis(500));
    }
}
