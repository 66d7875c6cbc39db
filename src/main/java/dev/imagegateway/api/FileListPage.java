package dev.imagegateway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.imagegateway.files.FileObject;
import java.util.List;

/**
 * OpenAI's answer to {@code GET /v1/files}: one page, with the ids of its first and last file (null for
 * an empty page) and whether more follow ({@code after} = {@code last_id} asks for them).
 */
public record FileListPage(
        String object,
        List<FileObject> data,
        @JsonProperty("first_id") @JsonInclude(JsonInclude.Include.ALWAYS) String firstId,
        @JsonProperty("last_id") @JsonInclude(JsonInclude.Include.ALWAYS) String lastId,
        @JsonProperty("has_more") boolean hasMore) {

    static FileListPage of(List<FileObject> files, boolean hasMore) {
        return new FileListPage("list", files, files.isEmpty() ? null : files.get(0).id(),
                files.isEmpty() ? null : files.get(files.size() - 1).id(), hasMore);
    }
}
