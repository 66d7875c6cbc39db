package dev.imagegateway.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagegateway.error.InvalidRequestException;
import java.time.Duration;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** OpenAI's rules for a new file, without Quarkus. */
class FileRulesTest {

    private final FileRules rules = new FileRules(Duration.ofDays(30));

    @Test
    void purpose_isOneOfOpenAis() {
        for (String purpose : FileRules.PURPOSES) {
            assertThat(rules.purpose(purpose)).isEqualTo(purpose);
        }
        assertRefused(() -> rules.purpose(null), "purpose", "missing_required_parameter");
        assertRefused(() -> rules.purpose(""), "purpose", "missing_required_parameter");
        assertRefused(() -> rules.purpose("batch_output"), "purpose", "invalid_value");
        assertRefused(() -> rules.purpose("Batch"), "purpose", "invalid_value");
    }

    @Test
    void expiresAfter_notGiven_isTheDefault_elseWithinOneHourAndThirtyDays() {
        assertThat(rules.expiresAfter(null, (Long) null)).isEqualTo(Duration.ofDays(30));
        assertThat(rules.expiresAfter("created_at", 3600L)).isEqualTo(Duration.ofHours(1));
        assertThat(rules.expiresAfter("created_at", 2_592_000L)).isEqualTo(Duration.ofDays(30));
        assertRefused(() -> rules.expiresAfter("created_at", 3599L), "expires_after.seconds", "integer_below_min_value");
        assertRefused(() -> rules.expiresAfter("created_at", 2_592_001L), "expires_after.seconds",
                "integer_above_max_value");
        assertRefused(() -> rules.expiresAfter("now", 3600L), "expires_after.anchor", "invalid_value");
        assertRefused(() -> rules.expiresAfter(null, 3600L), "expires_after.anchor", "missing_required_parameter");
        assertRefused(() -> rules.expiresAfter("created_at", (Long) null), "expires_after.seconds",
                "missing_required_parameter");
    }

    @Test
    void expiresAfter_ofAForm_readsTheSecondsAsAnInteger() {
        assertThat(rules.expiresAfter("created_at", " 7200 ")).isEqualTo(Duration.ofHours(2));
        assertThat(rules.expiresAfter(null, (String) null)).isEqualTo(Duration.ofDays(30));
        assertRefused(() -> rules.expiresAfter("created_at", "an hour"), "expires_after.seconds", "invalid_type");
        assertRefused(() -> rules.expiresAfter("created_at", "3600.5"), "expires_after.seconds", "invalid_type");
    }

    @Test
    void filename_ofABatchFile_mustEndInJsonl_otherPurposesAnyName() {
        rules.filename("batch", "requests.jsonl", "file");
        rules.filename("batch", "REQUESTS.JSONL", "file");
        rules.filename("vision", "mask.png", "file");
        rules.filename("user_data", null, "file");
        assertThatThrownBy(() -> rules.filename("batch", "requests.json", "file"))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("Invalid file format for Batch API. Must be .jsonl");
                    assertThat(e.param()).isEqualTo("file");
                    assertThat(e.status()).isEqualTo(400);
                });
        assertRefused(() -> rules.filename("batch", null, "filename"), "filename", null);
    }

    @Test
    void uploadBytes_areAtLeastOne_andAtMost200MbForABatchFile() {
        rules.uploadBytes("batch", 1);
        rules.uploadBytes("batch", FileRules.MAX_BATCH_BYTES);
        rules.uploadBytes("vision", FileRules.MAX_BATCH_BYTES + 1);
        assertRefused(() -> rules.uploadBytes("batch", 0), "bytes", "integer_below_min_value");
        assertRefused(() -> rules.uploadBytes("batch", FileRules.MAX_BATCH_BYTES + 1), "bytes",
                "integer_above_max_value");
        assertRefused(() -> rules.uploadBytes("vision", FileRules.MAX_FILE_BYTES + 1), "bytes",
                "integer_above_max_value");
    }

    private static void assertRefused(ThrowingCallable call, String param, String code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(InvalidRequestException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.param()).isEqualTo(param);
            assertThat(e.code()).isEqualTo(code);
        });
    }
}
