package dev.imagegateway.error;

/**
 * The Batch API's queue is not configured ({@code images.batches.queue-url}) or cannot be reached: 503
 * {@code batches_unavailable}. Safe to retry: nothing was started.
 */
public final class QueueUnavailableException extends GatewayException {

    private QueueUnavailableException(String message, Throwable cause) {
        super(503, ErrorTypes.SERVER_ERROR, message, null, "batches_unavailable", cause, true);
    }

    public static QueueUnavailableException notConfigured() {
        return new QueueUnavailableException("The Batch API is not available on this gateway: it has no batch queue"
                + " (images.batches.queue-url is not set).", null);
    }

    public static QueueUnavailableException unreachable(Throwable cause) {
        return new QueueUnavailableException("The batch queue is unavailable; retry later.", cause);
    }
}
