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

    /**
     * A {@code POST /v1/files} body over the limit. One request carries at most what Lambda accepts, and
     * less once API Gateway has base64-encoded the multipart body; the Uploads API takes any size in parts.
     */
    public static PayloadTooLargeException file(int limit) {
        return new PayloadTooLargeException("request_too_large",
                "The request body is larger than the gateway accepts in one request (" + limit + " bytes; through"
                        + " API Gateway about 4.4 MB of file data). Upload larger files with the Uploads API: POST"
                        + " /v1/uploads, then POST /v1/uploads/{upload_id}/parts for each part, then POST"
                        + " /v1/uploads/{upload_id}/complete.");
    }

    /** A {@code POST /v1/uploads/{id}/parts} body over the limit. */
    public static PayloadTooLargeException part(int limit) {
        return new PayloadTooLargeException("request_too_large",
                "The part is larger than the gateway accepts in one request (" + limit + " bytes; through API"
                        + " Gateway about 4.4 MB of data). Split the file into smaller parts.");
    }

    /** An edit's body over the limit: large images go by reference, which the message spells out. */
    public static PayloadTooLargeException editRequest(long bytes, int limit) {
        return new PayloadTooLargeException("request_too_large",
                "The edit's body is " + bytes + " bytes, more than the " + limit + " bytes a request to the gateway"
                        + " can carry (Lambda takes 6 MB per request, and API Gateway sends multipart bodies"
                        + " base64-encoded, which leaves about 4 MB of images). Send large images by reference"
                        + " instead, as JSON: images: [{\"image_url\": \"https://...\"}] with any URL the upstream"
                        + " can fetch (a pre-signed S3 URL included), or images: [{\"file_id\": \"file-...\"}] of a"
                        + " file uploaded with /v1/files or /v1/uploads, whose bytes the gateway sends upstream itself."
                        + " The Function URL door has the same 6 MB bound; use it for slow edits, not larger bodies.");
    }

    public static PayloadTooLargeException response(long bytes, int limit, String requestId) {
        return new PayloadTooLargeException("response_too_large",
                "The images are " + bytes + " bytes as base64, more than the " + limit
                        + " bytes API Gateway and Lambda can return. They were generated and kept in the"
                        + " gateway's bucket under request " + requestId
                        + "; ask for response_format=url to receive links instead of inline images, or send the"
                        + " request in a batch (/v1/batches), whose output file has no such limit. The long-wait"
                        + " door (the Function URL) returns at most the same 6 MB.");
    }
}
