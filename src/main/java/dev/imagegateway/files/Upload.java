package dev.imagegateway.files;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * OpenAI's upload object, as {@code POST /v1/uploads} and its {@code parts}, {@code complete} and
 * {@code cancel} routes answer it. {@code file} is null until the upload is completed. An upload is
 * {@code pending} until completed or cancelled, and {@code expired} once {@code expires_at} has passed
 * while it was still pending.
 */
public record Upload(
        String id,
        String object,
        long bytes,
        @JsonProperty("created_at") long createdAt,
        @JsonProperty("expires_at") long expiresAt,
        String filename,
        String purpose,
        String status,
        @JsonInclude(JsonInclude.Include.ALWAYS) FileObject file) {

    public static final String OBJECT = "upload";
    public static final String ID_PREFIX = "upload_";
    public static final String PENDING = "pending";
    public static final String COMPLETED = "completed";
    public static final String CANCELLED = "cancelled";
    public static final String EXPIRED = "expired";

    /** The upload as it stands at {@code now}: a pending upload past its {@code expires_at} is expired. */
    public Upload asOf(long now) {
        return PENDING.equals(status) && now >= expiresAt ? withStatus(EXPIRED, null) : this;
    }

    public Upload withStatus(String newStatus, FileObject newFile) {
        return new Upload(id, object, bytes, createdAt, expiresAt, filename, purpose, newStatus, newFile);
    }
}
