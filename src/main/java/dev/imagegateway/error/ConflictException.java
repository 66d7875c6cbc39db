package dev.imagegateway.error;

/** The object is in a state that does not allow the request (cancelling a finished batch): 409, as OpenAI answers. */
public final class ConflictException extends GatewayException {

    public ConflictException(String message) {
        super(409, ErrorTypes.INVALID_REQUEST, message, null, null, null, false);
    }
}
