package dev.imagegateway.batch.engine;

import java.util.List;

/**
 * The endpoints a batch may run, as OpenAI's Batch API accepts them for images; LineWorker chooses the
 * line runner by endpoint. Edits lines are JSON bodies (images by {@code image_url} or {@code file_id}).
 */
public final class BatchEndpoints {

    public static final String GENERATIONS = "/v1/images/generations";
    public static final String EDITS = "/v1/images/edits";
    public static final List<String> ACCEPTED = List.of(GENERATIONS, EDITS);

    /** The only completion window OpenAI accepts. */
    public static final String COMPLETION_WINDOW = "24h";
    /** OpenAI's limits of one input file. */
    public static final int MAX_LINES = 50_000;
    public static final long MAX_INPUT_BYTES = 200L * 1024 * 1024;

    private BatchEndpoints() {
    }
}
