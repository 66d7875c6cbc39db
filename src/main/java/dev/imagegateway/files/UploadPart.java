package dev.imagegateway.files;

import com.fasterxml.jackson.annotation.JsonProperty;

/** OpenAI's upload part object, as {@code POST /v1/uploads/{id}/parts} answers it. */
public record UploadPart(
        String id,
        String object,
        @JsonProperty("created_at") long createdAt,
        @JsonProperty("upload_id") String uploadId) {

    public static final String OBJECT = "upload.part";
    public static final String ID_PREFIX = "part_";
}
