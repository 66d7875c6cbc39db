package dev.imagegateway.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegateway.testsupport.QuickStart;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README shows exactly what the tests run: its script and SDK example are the committed files
 * {@code LocalModeIT} runs, and its commands are the ones CI and {@code LocalModeIT} use. Exact text,
 * no reading of prose: change the file and the README together, or this fails.
 */
class ReadmeQuickStartTest {

    private static final Path PROJECT = Path.of("").toAbsolutePath();
    private static final String README = QuickStart.read(PROJECT.resolve("README.md"));

    @Test
    void readme_showsTheQuickStartScriptWhole() {
        assertThat(README).contains("```bash\n" + QuickStart.script(PROJECT) + "```\n");
    }

    @Test
    void readme_showsTheSdkExampleThatLocalModeItRuns() {
        assertThat(README).contains("```java\n" + QuickStart.sdkExample(PROJECT) + "```\n");
    }

    @Test
    void readme_showsTheBatchExampleThatLocalModeItRuns() {
        assertThat(README).contains("```java\n" + QuickStart.batchExample(PROJECT) + "```\n");
    }

    @Test
    void readme_showsTheTestAndRunCommandsAsCommandLines() {
        assertThat(isCommandLine(String.join(" ", QuickStart.TEST_COMMAND))).isTrue();
        assertThat(isCommandLine(String.join(" ", QuickStart.RUN_COMMAND))).isTrue();
    }

    @Test
    void ci_runsExactlyTheReadmeTestCommand() {
        assertThat(QuickStart.read(PROJECT.resolve(".ci/run")).lines())
                .contains(String.join(" ", QuickStart.TEST_COMMAND));
    }

    /** Whether a line of the README is {@code command}, alone or followed by a {@code #} comment. */
    private static boolean isCommandLine(String command) {
        return README.lines().anyMatch(line -> line.equals(command)
                || line.startsWith(command + " ") && line.substring(command.length()).strip().startsWith("#"));
    }
}
