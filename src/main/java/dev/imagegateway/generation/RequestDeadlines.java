package dev.imagegateway.generation;

import dev.imagegateway.config.GatewayConfig;
import dev.imagegateway.upstream.Upstreams;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;

/**
 * The two time budgets of one request (see {@link Deadline}): the upstream's, from the timeout of the
 * upstream the plan goes to first, and storage's, from {@code images.s3.reserve} and the invocation.
 */
@ApplicationScoped
public class RequestDeadlines {

    private final Upstreams upstreams;
    private final Duration storageReserve;
    private final Clock clock = Clock.systemUTC();

    public RequestDeadlines(Upstreams upstreams, GatewayConfig config) {
        this.upstreams = upstreams;
        this.storageReserve = config.s3().reserve();
    }

    /**
     * @param invocationLeft what the Lambda context says is left of the invocation; null without one
     *        (a batch line, a local run)
     */
    public Deadline of(GenerationPlan plan, Duration invocationLeft) {
        return Deadline.of(clock, upstreams.timeout(plan.route()), storageReserve, invocationLeft);
    }
}
