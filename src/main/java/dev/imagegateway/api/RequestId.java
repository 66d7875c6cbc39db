package dev.imagegateway.api;

import jakarta.enterprise.context.RequestScoped;
import java.util.UUID;

/**
 * The id of the request being served: returned as {@code x-request-id}, written in every log line and
 * used in the S3 keys of its images. Random, so that keys built from it cannot be guessed.
 */
@RequestScoped
public class RequestId {

    private final String value = UUID.randomUUID().toString();

    public String value() {
        return value;
    }
}
