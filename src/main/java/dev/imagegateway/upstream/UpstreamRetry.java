package dev.imagegateway.upstream;

import dev.imagegateway.config.GatewayConfig;
import dev.imagegateway.error.GatewayException;
import dev.imagegateway.observability.RequestLogFields;
import io.quarkus.logging.Log;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import java.util.function.IntFunction;

/**
 * When to try the upstream again. Only failures after which the upstream cannot have started (and so
 * billed) a generation are retried: a connection that could not be made, 429, and 502/503 from
 * the upstream's front. A timeout, a connection dropped after the request was sent, any other 4xx or
 * 500, or a successful answer broken off mid-way are final: retrying them could buy the same images
 * twice.
 */
public final class UpstreamRetry {

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(8);

    /** The least time worth starting another attempt with; less than this and the attempt would only time out. */
    static final Duration MIN_ATTEMPT = Duration.ofSeconds(1);

    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Clock clock;
    private final DoubleSupplier random;

    /**
     * The policy the configuration asks for. Its jitter comes from a SecureRandom, which reads the
     * operating system's entropy as it goes: instances restored from one SnapStart snapshot do not all
     * draw the same jitter (a seeded Random would, and their retries would collide again).
     */
    public static UpstreamRetry of(GatewayConfig.Upstream upstream, Clock clock) {
        return new UpstreamRetry(upstream.maxAttempts(), upstream.retryInitialBackoff(), clock,
                new SecureRandom()::nextDouble);
    }

    public UpstreamRetry(int maxAttempts, Duration initialBackoff, Clock clock, DoubleSupplier random) {
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
        this.clock = clock;
        this.random = random;
    }

    /**
     * What one attempt came to: a value, or a failure that says whether another attempt is safe (and
     * when the upstream asked to be called again).
     */
    public record Outcome<T>(T value, GatewayException failure, boolean retryable, String retryAfter) {

        public static <T> Outcome<T> succeeded(T value) {
            return new Outcome<>(value, null, false, null);
        }

        /** A failure, retryable exactly when it says it is safe to send again ({@link GatewayException#retrySafe}). */
        public static <T> Outcome<T> failed(GatewayException failure, String retryAfter) {
            return new Outcome<>(null, failure, failure.retrySafe(), retryAfter);
        }
    }

    /**
     * Makes attempts until one succeeds or no further one is safe or fits before the deadline; throws
     * the last failure then. {@code attempt} gets the attempt's number, from 1.
     */
    public <T> T attempts(Instant deadline, IntFunction<Outcome<T>> attempt) {
        for (int number = 1;; number++) {
            RequestLogFields.put(RequestLogFields.UPSTREAM_ATTEMPTS, number);
            Outcome<T> outcome = attempt.apply(number);
            if (outcome.failure() == null) {
                return outcome.value();
            }
            Optional<Duration> wait = outcome.retryable()
                    ? delayBeforeNext(number, outcome.retryAfter(), deadline)
                    : Optional.empty();
            if (wait.isEmpty()) {
                throw outcome.failure();
            }
            Log.infof("Upstream attempt %d failed (%s); retrying in %d ms", number, outcome.failure().code(),
                    wait.get().toMillis());
            try {
                Thread.sleep(wait.get().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw outcome.failure();
            }
        }
    }

    /** What is left until {@code deadline}, never negative. */
    static Duration left(Instant deadline, Clock clock) {
        Duration left = Duration.between(clock.instant(), deadline);
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** Whether an answer with this status may be retried. */
    public static boolean isRetryableStatus(int status) {
        return status == 429 || status == 502 || status == 503;
    }

    /** Whether a failure to get any answer means the request never reached the upstream. */
    public static boolean isConnectFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException || t instanceof HttpConnectTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /**
     * How long to wait before attempt {@code attempt + 1}, or empty when no further attempt should be
     * made (attempts used up, or the wait plus a useful attempt would pass the deadline).
     *
     * @param retryAfter the upstream's {@code Retry-After} header, or null
     */
    public Optional<Duration> delayBeforeNext(int attempt, String retryAfter, Instant deadline) {
        if (attempt >= maxAttempts) {
            return Optional.empty();
        }
        Duration delay = backoff(attempt);
        Optional<Duration> asked = parseRetryAfter(retryAfter);
        if (asked.isPresent() && asked.get().compareTo(delay) > 0) {
            delay = asked.get();
        }
        if (delay.plus(MIN_ATTEMPT).compareTo(left(deadline, clock)) > 0) {
            return Optional.empty();
        }
        return Optional.of(delay);
    }

    /** Exponential backoff with "equal jitter": half the step fixed, half random, so retries spread out. */
    Duration backoff(int attempt) {
        long step = initialBackoff.toMillis() << Math.min(attempt - 1, 20);
        step = Math.min(step, MAX_BACKOFF.toMillis());
        return Duration.ofMillis(step / 2 + (long) (random.getAsDouble() * (step / 2.0)));
    }

    /** {@code Retry-After} as seconds or as an HTTP date. */
    Optional<Duration> parseRetryAfter(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String trimmed = value.trim();
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(trimmed))));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration wait = Duration.between(clock.instant(), at.toInstant());
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }
}
