package dev.imagegateway.batch.engine;

import java.util.List;

/**
 * The endpoints a batch may run: the one place to add {@code /v1/images/edits} once that route exists
 * (its line runner must then be chosen by endpoint, see LineWorker).
 */
public final class BatchEndpoints {

    public static final String GENERATIONS = "/v1/images/generations";
    public static final List<String> ACCEPTED = List.of(GENERATIONS);

    /** The only completion window OpenAI accepts. */
    public static final String COMPLETION_WINDOW = "24h";
    /** OpenAI's limits of one input file. */
    public static final int MAX_LINES = 50_000;
    public static final long MAX_INPUT_BYTES = 200L * 1024 * 1024;

    private BatchEndpoints() {
    }
}
