package dev.imagegateway.api;

/** OpenAI's answer to {@code DELETE /v1/files/{id}}. */
public record FileDeleted(String id, String object, boolean deleted) {

    static FileDeleted of(String id) {
        return new FileDeleted(id, "file", true);
    }
}
