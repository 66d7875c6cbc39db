package dev.imagegateway.upstream;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The instant by which the upstream work of one request must be over, so that the gateway still has
 * time to answer with its own error rather than be cut off. It is the earlier of the configured
 * upstream timeout and the Lambda invocation's own deadline less a margin for answering.
 */
public record Deadline(Instant at) {

    /** Time kept back from the Lambda deadline to write an answer (and an error line) cleanly. */
    public static final Duration ANSWER_MARGIN = Duration.ofSeconds(2);

    /**
     * @param remainingInvocation what the Lambda context says is left of the invocation, or null
     *     when there is no invocation deadline (or none worth trusting)
     */
    public static Deadline of(Clock clock, Duration upstreamTimeout, Duration remainingInvocation) {
        Instant now = clock.instant();
        Instant byTimeout = now.plus(upstreamTimeout);
        if (remainingInvocation == null || remainingInvocation.isNegative() || remainingInvocation.isZero()) {
            return new Deadline(byTimeout);
        }
        Instant byInvocation = now.plus(remainingInvocation).minus(ANSWER_MARGIN);
        return new Deadline(byInvocation.isBefore(byTimeout) ? byInvocation : byTimeout);
    }

    public Duration remaining(Clock clock) {
        Duration left = Duration.between(clock.instant(), at);
        return left.isNegative() ? Duration.ZERO : left;
    }
}
