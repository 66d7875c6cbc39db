package dev.imagegateway.batch;

/**
 * A non-blank line of a JSONL file and its 1-based line number in that file (blank lines count);
 * {@code bytes} is null for a line longer than its reader holds.
 */
record JobLine(int number, byte[] bytes) {
}
