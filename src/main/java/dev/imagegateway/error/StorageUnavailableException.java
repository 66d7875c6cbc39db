package dev.imagegateway.error;

/**
 * S3 could not store an image or the gateway could not issue a link to it: 503. Never safe to retry:
 * the images were generated (and billed) before storing began.
 */
public final class StorageUnavailableException extends GatewayException {

    public StorageUnavailableException(String message, Throwable cause) {
        super(503, ErrorTypes.SERVER_ERROR, message, null, "storage_unavailable", cause, false);
    }
}
