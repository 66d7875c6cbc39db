package dev.imagegateway.files;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What the bucket keeps of an upload ({@code uploads/{owner}/{id}/upload.json}): the upload object the
 * caller sees, and what the caller said at creation that the file made from it needs later.
 *
 * @param fileExpiresAfter the new file's lifetime in seconds, counted from its creation
 */
public record UploadRecord(
        Upload upload,
        @JsonProperty("mime_type") String mimeType,
        @JsonProperty("file_expires_after") long fileExpiresAfter) {

    public UploadRecord with(Upload changed) {
        return new UploadRecord(changed, mimeType, fileExpiresAfter);
    }
}
