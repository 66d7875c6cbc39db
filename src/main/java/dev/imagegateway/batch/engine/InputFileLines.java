package dev.imagegateway.batch.engine;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/**
 * Streams an input file line by line, never holding more than one line: a 200 MB file passes in the
 * memory of one invocation. Blank lines are skipped but counted, so line numbers are the file's own.
 */
final class InputFileLines {

    /** Longer lines are reported as {@code null} bytes without being held. */
    static final int MAX_LINE_BYTES = 8 * 1024 * 1024;

    private InputFileLines() {
    }

    /**
     * Calls {@code each} for every non-blank line in order; a line over {@link #MAX_LINE_BYTES} comes with
     * null bytes.
     */
    static void forEach(InputStream content, Consumer<InputLine> each) {
        try (InputStream in = new BufferedInputStream(content, 256 * 1024)) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            boolean tooLong = false;
            long offset = 0;
            long lineStart = 0;
            int number = 1;
            int b;
            while (true) {
                b = in.read();
                if (b == '\n' || b < 0) {
                    emit(number, lineStart, line, tooLong, each);
                    if (b < 0) {
                        return;
                    }
                    line.reset();
                    tooLong = false;
                    number++;
                    offset++;
                    lineStart = offset;
                    continue;
                }
                offset++;
                if (line.size() < MAX_LINE_BYTES) {
                    line.write(b);
                } else {
                    tooLong = true;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void emit(int number, long start, ByteArrayOutputStream line, boolean tooLong,
            Consumer<InputLine> each) {
        byte[] bytes = line.toByteArray();
        int length = bytes.length;
        if (length > 0 && bytes[length - 1] == '\r') {
            bytes = java.util.Arrays.copyOf(bytes, length - 1);
        }
        if (!tooLong && isBlank(bytes)) {
            return;
        }
        each.accept(new InputLine(number, start, tooLong ? null : bytes));
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
