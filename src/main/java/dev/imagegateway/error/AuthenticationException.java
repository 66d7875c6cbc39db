package dev.imagegateway.error;

/** The caller presented no gateway key, or one the gateway does not know. */
public final class AuthenticationException extends GatewayException {

    public AuthenticationException(String message) {
        super(message, null, "invalid_api_key", null);
    }
}
