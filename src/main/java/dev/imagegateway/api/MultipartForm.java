package dev.imagegateway.api;

import dev.imagegateway.error.InvalidRequestException;
import jakarta.ws.rs.core.MediaType;
import java.util.Locale;

/**
 * What the multipart routes ({@code POST /v1/files}, {@code POST /v1/uploads/{id}/parts}) take: a
 * {@code multipart/form-data} body with its boundary. Anything else is the caller's 400, never a 500:
 * Quarkus's form parser reads a body without a boundary as no form at all, and fails on one that does not
 * end in its closing boundary with a bare {@code IOException}, which {@link #unreadable()} answers.
 */
final class MultipartForm {

    private static final String MULTIPART = "multipart/form-data";

    private MultipartForm() {
    }

    static void require(String contentType) {
        MediaType type = null;
        try {
            type = contentType == null ? null : MediaType.valueOf(contentType.strip());
        } catch (IllegalArgumentException e) {
            // refused below, as any other type
        }
        if (type == null || !MULTIPART.equals((type.getType() + "/" + type.getSubtype()).toLowerCase(Locale.ROOT))) {
            throw new InvalidRequestException(null, "unsupported_content_type", "Invalid Content-Type header. This API"
                    + " method only accepts 'multipart/form-data' requests. Please try again with a supported"
                    + " content type.");
        }
        String boundary = type.getParameters().get("boundary");
        if (boundary == null || boundary.isEmpty()) {
            throw new InvalidRequestException(null, "invalid_multipart", "The multipart body could not be read: its"
                    + " Content-Type header names no boundary.");
        }
    }

    /** A body the form parser gave up on: cut short, or not the multipart its header announces. */
    static InvalidRequestException unreadable() {
        return new InvalidRequestException(null, "invalid_multipart", "The multipart body could not be read: it does"
                + " not end with the closing boundary its Content-Type header names.");
    }
}
