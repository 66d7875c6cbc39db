package dev.imagegateway.error;

/**
 * The caller's request breaks a rule of docs/api.md: 400, and nothing was sent upstream. Its type is
 * {@code invalid_request_error} for most rules, {@code image_generation_user_error} where OpenAI answers
 * a GPT image model's refusal so.
 */
public final class InvalidRequestException extends GatewayException {

    public InvalidRequestException(String type, String param, String code, String message) {
        super(400, type, message, param, code, null, false);
    }

    public InvalidRequestException(String param, String code, String message) {
        this(ErrorTypes.INVALID_REQUEST, param, code, message);
    }
}
