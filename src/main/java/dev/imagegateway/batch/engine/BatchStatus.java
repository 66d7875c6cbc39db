package dev.imagegateway.batch.engine;

import java.util.Set;

/** The statuses of a batch, OpenAI's names, and which of them are final. */
public final class BatchStatus {

    public static final String VALIDATING = "validating";
    public static final String FAILED = "failed";
    public static final String IN_PROGRESS = "in_progress";
    public static final String FINALIZING = "finalizing";
    public static final String COMPLETED = "completed";
    public static final String EXPIRED = "expired";
    public static final String CANCELLING = "cancelling";
    public static final String CANCELLED = "cancelled";

    private static final Set<String> TERMINAL = Set.of(FAILED, COMPLETED, EXPIRED, CANCELLED);

    private BatchStatus() {
    }

    public static boolean isTerminal(String status) {
        return TERMINAL.contains(status);
    }
}
