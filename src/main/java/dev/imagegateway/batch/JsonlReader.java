package dev.imagegateway.batch;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Reads a JSONL stream one line at a time, never holding more than one line: a job, or a batch's output
 * file, of any size passes in the memory of one invocation. Blank lines are skipped but counted, and a
 * trailing {@code \r} is dropped, as the engine's own reader does, so line numbers are the file's own.
 */
final class JsonlReader implements Closeable {

    private final InputStream in;
    private final int maxLineBytes;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private int number;
    private boolean ended;

    /** Lines longer than {@code maxLineBytes} come back with null bytes, unread. */
    JsonlReader(InputStream content, int maxLineBytes) {
        this.in = new BufferedInputStream(content, 256 * 1024);
        this.maxLineBytes = maxLineBytes;
    }

    /** The next non-blank line, or null at the end. */
    JobLine next() {
        try {
            while (!ended) {
                line.reset();
                boolean tooLong = false;
                number++;
                int b;
                while ((b = in.read()) >= 0 && b != '\n') {
                    if (line.size() < maxLineBytes) {
                        line.write(b);
                    } else {
                        tooLong = true;
                    }
                }
                ended = b < 0;
                byte[] bytes = line.toByteArray();
                if (bytes.length > 0 && bytes[bytes.length - 1] == '\r') {
                    bytes = Arrays.copyOf(bytes, bytes.length - 1);
                }
                if (tooLong) {
                    return new JobLine(number, null);
                }
                if (!isBlank(bytes)) {
                    return new JobLine(number, bytes);
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
