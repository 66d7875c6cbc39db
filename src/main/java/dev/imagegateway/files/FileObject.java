package dev.imagegateway.files;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * OpenAI's file object, as {@code GET /v1/files/{id}} answers it and as the bucket keeps it
 * ({@code files/{owner}/{id}/object.json}). {@code expires_at} is null for a file that never expires.
 */
public record FileObject(
        String id,
        String object,
        long bytes,
        @JsonProperty("created_at") long createdAt,
        @JsonProperty("expires_at") @JsonInclude(JsonInclude.Include.ALWAYS) Long expiresAt,
        String filename,
        String purpose,
        String status) {

    public static final String OBJECT = "file";
    public static final String PROCESSED = "processed";
    public static final String ID_PREFIX = "file-";
}
