package dev.imagegateway.batch.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegateway.batch.engine.BatchObject.LineError;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The input file's line rules, without Quarkus. */
class BatchInputRulesTest {

    @Test
    void aRepeatedLongCustomId_isQuotedCutToSixtyFourCharacters() {
        String customId = "x".repeat(10_000);
        InputLineRules rules = new InputLineRules("/v1/images/generations");
        String line = BatchTestSupport.line(customId, "{\"prompt\":\"a\"}");

        assertThat(rules.problem(new InputLine(1, 0, line.getBytes(StandardCharsets.UTF_8)))).isEmpty();
        LineError error = rules.problem(new InputLine(2, 0, line.getBytes(StandardCharsets.UTF_8))).orElseThrow();

        assertThat(error.code()).isEqualTo("duplicate_custom_id");
        assertThat(error.message()).contains("'" + "x".repeat(64) + "…'").hasSizeLessThan(200);
    }

    @Test
    void streamTrue_failsTheFile_butAStreamThatIsNotABoolean_isLeftToTheLinesOwnRequestRules() {
        InputLineRules rules = new InputLineRules("/v1/images/generations");

        LineError streamed = rules.problem(input(1, "a", "{\"prompt\":\"a\",\"stream\":true}")).orElseThrow();
        assertThat(streamed.code()).isEqualTo("invalid_request");
        assertThat(streamed.param()).isEqualTo("body.stream");

        // The route answers these with its 400 invalid_type, in the error file; the batch itself runs.
        assertThat(rules.problem(input(2, "b", "{\"prompt\":\"a\",\"stream\":\"true\"}"))).isEmpty();
        assertThat(rules.problem(input(3, "c", "{\"prompt\":\"a\",\"stream\":1}"))).isEmpty();
        assertThat(rules.problem(input(4, "d", "{\"prompt\":\"a\",\"stream\":false}"))).isEmpty();
    }

    private static InputLine input(int n, String customId, String body) {
        return new InputLine(n, 0, BatchTestSupport.line(customId, body).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aShortCustomId_isQuotedWhole() {
        assertThat(InputLineRules.quoted("otter-1")).isEqualTo("otter-1");
        assertThat(InputLineRules.quoted("🦦".repeat(65))).isEqualTo("🦦".repeat(64) + "…");
    }
}
