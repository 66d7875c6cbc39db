package dev.imagegateway.error;

import java.util.Optional;

/**
 * The upstream refused the request with a 4xx that the caller can act on (content policy, bad request,
 * unknown model, rate limit). Its status, type, code and message are passed through.
 */
public final class UpstreamRejectedException extends GatewayException {

    private final int upstreamStatus;
    private final String type;
    private final String retryAfter;

    public UpstreamRejectedException(int upstreamStatus, String type, String param, String code, String message,
            String retryAfter) {
        super(message, param, code, null);
        this.upstreamStatus = upstreamStatus;
        this.type = type;
        this.retryAfter = retryAfter;
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
}
