package dev.imagegateway.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The README's quick start as the tests run it: the two commands, the script and the SDK example. The
 * README shows each of them verbatim ({@code ReadmeQuickStartTest}); {@code LocalModeIT} runs them.
 */
public final class QuickStart {

    /** Runs the tests; {@code .ci/run} runs exactly this. */
    public static final List<String> TEST_COMMAND = List.of("./mvnw", "-B", "verify");
    /** Runs the gateway locally. */
    public static final List<String> RUN_COMMAND = List.of("./mvnw", "quarkus:dev", "-Plocal");
    /** The quick start's {@code curl}, a script the README shows whole. */
    public static final Path SCRIPT = Path.of("scripts/quickstart.sh");
    /** The source file holding the README's Java SDK example between its markers. */
    public static final Path SDK_EXAMPLE = Path.of("src/test/java/dev/imagegateway/local/QuickStartSdk.java");
    /** The source file holding the README's Batch API example between its markers. */
    public static final Path BATCH_EXAMPLE = Path.of("src/test/java/dev/imagegateway/local/BatchQuickStartSdk.java");

    private static final String BEGIN = "// README example: begin";
    private static final String END = "// README example: end";

    private QuickStart() {
    }

    /** The SDK example as the README shows it: the lines between the markers, without their indentation. */
    public static String sdkExample(Path project) {
        return example(project, SDK_EXAMPLE);
    }

    /** The Batch API example as the README shows it. */
    public static String batchExample(Path project) {
        return example(project, BATCH_EXAMPLE);
    }

    private static String example(Path project, Path source) {
        List<String> lines = read(project.resolve(source)).lines().toList();
        int begin = indexOf(lines, BEGIN);
        int end = indexOf(lines, END);
        if (begin < 0 || end < begin) {
            throw new AssertionError(source + " has no '" + BEGIN + "' ... '" + END + "' region");
        }
        List<String> example = lines.subList(begin + 1, end);
        int indent = example.stream().filter(line -> !line.isBlank())
                .mapToInt(line -> line.length() - line.stripLeading().length()).min().orElse(0);
        return example.stream().map(line -> line.isBlank() ? "" : line.substring(indent))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    /** The script's text, as the README shows it. */
    public static String script(Path project) {
        return read(project.resolve(SCRIPT));
    }

    public static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int indexOf(List<String> lines, String marker) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals(marker)) {
                return i;
            }
        }
        return -1;
    }
}
