package dev.imagegateway.error;

/**
 * The caller's request breaks a rule of the contract; nothing was sent upstream. Carries its OpenAI
 * error type: {@code invalid_request_error} for most rules, {@code image_generation_user_error} where
 * OpenAI answers a GPT image model's refusal so.
 */
public final class InvalidRequestException extends GatewayException {

    private static final String INVALID_REQUEST = "invalid_request_error";

    private final String type;

    public InvalidRequestException(String type, String param, String code, String message) {
        super(message, param, code, null);
        this.type = type;
    }

    public InvalidRequestException(String param, String code, String message) {
        this(INVALID_REQUEST, param, code, message);
    }

    /** The OpenAI error type. */
    public String type() {
        return type;
    }
}
