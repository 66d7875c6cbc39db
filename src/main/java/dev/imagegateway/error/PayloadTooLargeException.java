package dev.imagegateway.error;

/** A request body over the gateway's limit, or an answer over what Lambda and API Gateway can return: 413. */
public final class PayloadTooLargeException extends GatewayException {

    private PayloadTooLargeException(String code, String message) {
        super(413, ErrorTypes.INVALID_REQUEST, message, null, code, null, false);
    }

    public static PayloadTooLargeException request(int limit) {
        return new PayloadTooLargeException("request_too_large",
                "The request body is larger than the gateway accepts (" + limit + " bytes).");
    }

    public static PayloadTooLargeException response(long bytes, int limit, String requestId) {
        return new PayloadTooLargeException("response_too_large",
                "The images are " + bytes + " bytes as base64, more than the " + limit
                        + " bytes API Gateway and Lambda can return. They were generated and kept in the"
                        + " gateway's bucket under request " + requestId
                        + "; ask for response_format=url to receive links instead of inline images.");
    }
}
