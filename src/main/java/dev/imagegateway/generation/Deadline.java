package dev.imagegateway.generation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * How long the two halves of one request may take, so that the gateway still has time to answer with
 * its own error rather than be cut off. {@code at} ends the upstream call (retries included): the
 * earlier of the configured upstream timeout and the invocation's end less the storage reserve.
 * {@code storageAt} ends storing and signing: the invocation's end, so that images the upstream made
 * just in time still get the whole reserve (and whatever the upstream did not use) to be kept, rather
 * than sharing the upstream's clock and being thrown away. Both keep {@link #ANSWER_MARGIN} free to
 * write the answer.
 */
public record Deadline(Instant at, Instant storageAt) {

    /** Time kept back from the Lambda deadline to write an answer (and an error line) cleanly. */
    public static final Duration ANSWER_MARGIN = Duration.ofSeconds(2);

    /**
     * @param storageReserve time kept for storage after the upstream call ({@code images.s3.reserve})
     * @param remainingInvocation what the Lambda context says is left of the invocation, or null
     *        when there is no invocation deadline (or none worth trusting)
     */
    public static Deadline of(Clock clock, Duration upstreamTimeout, Duration storageReserve,
            Duration remainingInvocation) {
        Instant now = clock.instant();
        Instant byTimeout = now.plus(upstreamTimeout);
        if (remainingInvocation == null || remainingInvocation.isNegative() || remainingInvocation.isZero()) {
            return new Deadline(byTimeout, byTimeout.plus(storageReserve));
        }
        Instant invocationEnd = now.plus(remainingInvocation).minus(ANSWER_MARGIN);
        Instant upstreamEnd = invocationEnd.minus(storageReserve);
        if (upstreamEnd.isBefore(now)) {
            upstreamEnd = now;
        }
        return new Deadline(upstreamEnd.isBefore(byTimeout) ? upstreamEnd : byTimeout, invocationEnd);
    }

    /** What is left of the upstream's share. */
    public Duration remaining(Clock clock) {
        Duration left = Duration.between(clock.instant(), at);
        return left.isNegative() ? Duration.ZERO : left;
    }
}
