package dev.imagegateway.error;

import java.util.Map;
import java.util.Optional;

/**
 * The upstream refused the request with a 4xx that the caller can act on (content policy, bad request,
 * unknown model, rate limit). Its status and its whole error object (type, code, message, and any
 * further field such as {@code moderation_details}) are passed through.
 */
public final class UpstreamRejectedException extends GatewayException {

    private static final String INSUFFICIENT_QUOTA = "insufficient_quota";

    private final int upstreamStatus;
    private final String type;
    private final String retryAfter;
    private final Map<String, Object> otherFields;

    public UpstreamRejectedException(int upstreamStatus, String type, String param, String code, String message,
            String retryAfter, Map<String, Object> otherFields) {
        // A rate limit passes and may be retried; an exhausted quota does not pass by waiting.
        super(message, param, code, null, upstreamStatus == 429 && !INSUFFICIENT_QUOTA.equals(code)
                && !INSUFFICIENT_QUOTA.equals(type));
        this.upstreamStatus = upstreamStatus;
        this.type = type;
        this.retryAfter = retryAfter;
        this.otherFields = otherFields == null ? Map.of() : Map.copyOf(otherFields);
    }

    public UpstreamRejectedException(int upstreamStatus, String type, String param, String code, String message,
            String retryAfter) {
        this(upstreamStatus, type, param, code, message, retryAfter, null);
    }

    public int upstreamStatus() {
        return upstreamStatus;
    }

    /** The upstream's error type, or null when it gave none. */
    public String type() {
        return type;
    }

    /** The upstream's {@code Retry-After} header, as given. */
    public Optional<String> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** The fields of the upstream's error object besides message, type, param and code. */
    public Map<String, Object> otherFields() {
        return otherFields;
    }
}
