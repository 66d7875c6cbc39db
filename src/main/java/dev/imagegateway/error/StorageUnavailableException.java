package dev.imagegateway.error;

/** S3 could not store an image or the gateway could not issue a link to it. */
public final class StorageUnavailableException extends GatewayException {

    public StorageUnavailableException(String message, Throwable cause) {
        super(message, null, "storage_unavailable", cause);
    }
}
