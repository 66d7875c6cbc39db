package dev.imagegateway.error;

/**
 * A file, upload or batch that does not exist, or belongs to another key (the two are never told apart):
 * 404 {@code invalid_request_error}, with OpenAI's wording for the object.
 */
public final class NotFoundException extends GatewayException {

    public NotFoundException(String message, String param) {
        super(404, ErrorTypes.INVALID_REQUEST, message, param, null, null, false);
    }
}
