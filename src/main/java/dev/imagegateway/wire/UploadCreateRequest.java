package dev.imagegateway.wire;

/**
 * The body of {@code POST /v1/uploads}: the file to come ({@code filename}, {@code purpose}, {@code bytes},
 * {@code mime_type}) and, optionally, its {@code expires_after} ({@code anchor} and {@code seconds}, null
 * when not given).
 */
public record UploadCreateRequest(String filename, String purpose, long bytes, String mimeType,
        String expiresAfterAnchor, Long expiresAfterSeconds) {
}
