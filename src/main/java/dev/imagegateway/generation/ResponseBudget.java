package dev.imagegateway.generation;

import dev.imagegateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * How much base64 one answer can carry, for whole answers and event streams alike: the configured
 * response limit (under Lambda's 6 MB) less room for everything else in the answer (JSON keys,
 * prompts, usage) and for each streamed event's own framing.
 */
@ApplicationScoped
public class ResponseBudget {

    /** Room for everything in an answer besides the base64 strings. */
    static final int ANSWER_OVERHEAD_BYTES = 64 * 1024;
    /** Room for one streamed event's name, fields and framing besides its base64. */
    static final int EVENT_OVERHEAD_BYTES = 1024;

    private final int limit;

    public ResponseBudget(GatewayConfig config) {
        this.limit = config.limits().maxResponseBytes();
    }

    /** The whole answer's limit in bytes. */
    int limit() {
        return limit;
    }

    /** The base64 bytes an answer of {@code events} streamed events (0 for a whole answer) can carry. */
    long forBase64(int events) {
        return limit - ANSWER_OVERHEAD_BYTES - (long) events * EVENT_OVERHEAD_BYTES;
    }

    /** What one streamed event of that much base64 costs of the budget. */
    static long eventBytes(long base64Bytes) {
        return base64Bytes + EVENT_OVERHEAD_BYTES;
    }
}
