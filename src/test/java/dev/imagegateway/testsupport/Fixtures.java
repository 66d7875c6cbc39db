package dev.imagegateway.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Test payloads kept as files under {@code src/test/resources}, read from the test classpath by their
 * path there ({@code "upstream/usage.json"}), so that a payload is written once and the stubs that send
 * it and the tests that check it read the same file.
 */
public final class Fixtures {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {
    }

    /** The file as text, exactly as written. */
    public static String text(String path) {
        try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path + " on the test classpath (src/test/resources)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("fixture " + path + " could not be read", e);
        }
    }

    /** The file as a JSON object; a fresh copy on every call, so a caller may add to it. */
    public static ObjectNode json(String path) {
        try {
            return (ObjectNode) JSON.readTree(text(path));
        } catch (IOException e) {
            throw new UncheckedIOException("fixture " + path + " is not JSON", e);
        } catch (ClassCastException e) {
            throw new IllegalArgumentException("fixture " + path + " is not a JSON object", e);
        }
    }
}
