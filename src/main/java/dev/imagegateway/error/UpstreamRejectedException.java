package dev.imagegateway.error;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The upstream refused the request with a 4xx that the caller can act on (content policy, bad request,
 * unknown model, rate limit). Its status and its whole error object (type, code, message, and any
 * further field such as {@code moderation_details}) are passed through.
 */
public final class UpstreamRejectedException extends GatewayException {

    private static final String INSUFFICIENT_QUOTA = "insufficient_quota";

    private final String retryAfter;
    private final Map<String, Object> otherFields;

    public UpstreamRejectedException(int upstreamStatus, String type, String param, String code, String message,
            String retryAfter, Map<String, Object> otherFields) {
        // A rate limit passes and may be retried; an exhausted quota does not pass by waiting.
        super(upstreamStatus, type, message, param, code, null, upstreamStatus == 429
                && !INSUFFICIENT_QUOTA.equals(code) && !INSUFFICIENT_QUOTA.equals(type));
        this.retryAfter = retryAfter;
        // Not Map.copyOf: an upstream's field may be JSON null, and it is passed on as such.
        this.otherFields = otherFields == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(otherFields));
    }

    public UpstreamRejectedException(int upstreamStatus, String type, String param, String code, String message,
            String retryAfter) {
        this(upstreamStatus, type, param, code, message, retryAfter, null);
    }

    /** The upstream's {@code Retry-After} header, as given. */
    @Override
    public Optional<String> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** The fields of the upstream's error object besides message, type, param and code. */
    @Override
    public Map<String, Object> otherFields() {
        return otherFields;
    }

    /** Upstream codes are free text: a metric sees only whether it was a rate limit or a refusal. */
    @Override
    public String outcome() {
        return status() == 429 ? "upstream_rate_limited" : "upstream_rejected";
    }
}
