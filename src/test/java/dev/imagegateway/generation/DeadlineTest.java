package dev.imagegateway.generation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** A request's two budgets: the upstream's ends early enough to leave storage its reserve. */
class DeadlineTest {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    @Test
    void upstreamDeadline_isTheEarlierOfTimeoutAndInvocationLessTheStorageReserve() {
        Duration reserve = Duration.ofSeconds(5);
        assertThat(Deadline.of(clock, Duration.ofSeconds(120), reserve, null).at()).isEqualTo(NOW.plusSeconds(120));
        // 30 s left: 2 s to answer, 5 s for storage, 23 s for the upstream.
        assertThat(Deadline.of(clock, Duration.ofSeconds(120), reserve, Duration.ofSeconds(30)).at())
                .isEqualTo(NOW.plusSeconds(23));
        assertThat(Deadline.of(clock, Duration.ofSeconds(10), reserve, Duration.ofSeconds(30)).at())
                .isEqualTo(NOW.plusSeconds(10));
        assertThat(Deadline.of(clock, Duration.ofSeconds(10), reserve, Duration.ZERO).at()).isEqualTo(NOW.plusSeconds(10));
        assertThat(Deadline.of(clock, Duration.ofSeconds(10), reserve, Duration.ofSeconds(4)).at()).isEqualTo(NOW);
    }

    @Test
    void storageDeadline_isTheInvocationsEnd_notTheUpstreams() {
        Duration reserve = Duration.ofSeconds(5);
        // An upstream that used its whole 10 s still leaves storage everything up to the invocation's end.
        Deadline deadline = Deadline.of(clock, Duration.ofSeconds(10), reserve, Duration.ofSeconds(30));
        assertThat(deadline.storageAt()).isEqualTo(NOW.plusSeconds(28));
        // Without an invocation deadline, storage gets the reserve after the upstream timeout.
        assertThat(Deadline.of(clock, Duration.ofSeconds(10), reserve, null).storageAt()).isEqualTo(NOW.plusSeconds(15));
    }
}
