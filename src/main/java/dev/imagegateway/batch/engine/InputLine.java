package dev.imagegateway.batch.engine;

/** One non-blank line of an input file: its 1-based number, where its bytes are, and the bytes. */
record InputLine(int number, long offset, byte[] bytes) {
}
