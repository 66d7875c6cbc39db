package dev.imagegateway.error;

/**
 * The caller presented no gateway key, or one the gateway does not know: 401. As OpenAI answers: a
 * missing key has no code, an unknown one {@code invalid_api_key}.
 */
public final class AuthenticationException extends GatewayException {

    private AuthenticationException(String message, String code) {
        super(401, ErrorTypes.INVALID_REQUEST, message, null, code, null, false);
    }

    /** No key, or none in Bearer form. */
    public static AuthenticationException missingKey(String message) {
        return new AuthenticationException(message, null);
    }

    /** A key the gateway does not accept. */
    public static AuthenticationException unknownKey(String message) {
        return new AuthenticationException(message, "invalid_api_key");
    }
}
