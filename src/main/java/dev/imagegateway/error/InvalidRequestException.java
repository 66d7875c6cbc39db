package dev.imagegateway.error;

/** The caller's request breaks a rule of the contract; nothing was sent upstream. */
public final class InvalidRequestException extends GatewayException {

    public InvalidRequestException(String param, String code, String message) {
        super(message, param, code, null);
    }
}
