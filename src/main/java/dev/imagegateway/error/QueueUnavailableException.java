package dev.imagegateway.error;

/**
 * The Batch API's queue is not configured ({@code images.batches.queue-url}) or cannot be reached: 503
 * {@code batches_unavailable}. Nothing was started; a retry can succeed only when the queue was
 * unreachable, never when the gateway has none.
 */
public final class QueueUnavailableException extends GatewayException {

    private QueueUnavailableException(String message, Throwable cause, boolean retrySafe) {
        super(503, ErrorTypes.SERVER_ERROR, message, null, "batches_unavailable", cause, retrySafe);
    }

    public static QueueUnavailableException notConfigured() {
        return new QueueUnavailableException("The Batch API is not available on this gateway: it has no batch queue"
                + " (images.batches.queue-url is not set).", null, false);
    }

    public static QueueUnavailableException unreachable(Throwable cause) {
        return new QueueUnavailableException("The batch queue is unavailable; retry later.", cause, true);
    }
}
