package dev.imagegateway.batch.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What {@code batches/api/{owner}/{batch_id}/finalize.json} holds: how far a finalization got, so that the
 * next invocation continues it. Each file has its own progress because its parts end where its own lines
 * do: a part holds whole lines, and only lines in uploaded parts count as done.
 *
 * @param partBytes the part size chosen once from the results' sizes, kept for every later invocation
 * @param usage the summed {@code usage} of the output file's done lines
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
record FinalizeCheckpoint(
        @JsonProperty("part_bytes") int partBytes,
        @JsonProperty("output") FileProgress output,
        @JsonProperty("errors") FileProgress errors,
        @JsonProperty("usage") JsonNode usage) {

    /**
     * One file's multipart upload so far.
     *
     * @param nextLine the first input line not in an uploaded part (0: none is)
     * @param lines how many lines the uploaded parts hold
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record FileProgress(
            @JsonProperty("upload_id") String uploadId,
            @JsonProperty("parts") List<String> parts,
            @JsonProperty("bytes") long bytes,
            @JsonProperty("next_line") int nextLine,
            @JsonProperty("lines") int lines) {

        static final FileProgress NONE = new FileProgress(null, List.of(), 0, 0, 0);
    }
}
