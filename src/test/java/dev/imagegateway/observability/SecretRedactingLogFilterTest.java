package dev.imagegateway.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.Level;
import org.junit.jupiter.api.Test;

/** The filter every console record passes: whoever logged a key, the written line holds none. */
class SecretRedactingLogFilterTest {

    private static final String KEY = "sk-gateway-0123456789abcdef";
    private final SecretRedactingLogFilter filter = new SecretRedactingLogFilter();

    @Test
    void keyInAFormattedMessage_isRemoved_andTheRecordKept() {
        ExtLogRecord record = new ExtLogRecord(Level.ERROR, "refused %s", ExtLogRecord.FormatStyle.PRINTF,
                getClass().getName());
        record.setParameters(new Object[] { "Bearer \u007f" + KEY });

        assertThat(filter.isLoggable(record)).isTrue();

        assertThat(record.getFormattedMessage()).isEqualTo("refused Bearer [removed]");
    }

    @Test
    void keyInACauseOfTheThrownException_isRemoved_classNamesAndStackKept() {
        ExtLogRecord record = new ExtLogRecord(Level.ERROR, "Request Failure", getClass().getName());
        IllegalArgumentException netty = new IllegalArgumentException(
                "a header value contains a prohibited character '127': Bearer \u007f" + KEY);
        record.setThrown(new IllegalStateException("wrapped", netty));

        filter.isLoggable(record);

        String trace = trace(record.getThrown());
        assertThat(trace).doesNotContain(KEY).contains("java.lang.IllegalStateException: wrapped")
                .contains("java.lang.IllegalArgumentException: a header value contains a prohibited character")
                .contains(getClass().getName());
    }

    @Test
    void recordWithoutSecrets_isLeftAsItWas() {
        ExtLogRecord record = new ExtLogRecord(Level.INFO, "POST %s status=%d", ExtLogRecord.FormatStyle.PRINTF,
                getClass().getName());
        record.setParameters(new Object[] { "/v1/images/generations", 200 });
        RuntimeException thrown = new RuntimeException("use Bearer auth");
        record.setThrown(thrown);

        filter.isLoggable(record);

        assertThat(record.getFormattedMessage()).isEqualTo("POST /v1/images/generations status=200");
        assertThat(record.getThrown()).isSameAs(thrown);
    }

    @Test
    void redaction_removesKeysTokensAccessKeyIdsAndSignatures_butKeepsProse() {
        assertThat(SecretRedaction.redact("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc"))
                .isEqualTo("Authorization: Bearer [removed]");
        // AWS's documented example id, put together here so that no scan of the tree mistakes it for a leak.
        String accessKeyId = "AKIA" + "IOSFODNN7EXAMPLE";
        assertThat(SecretRedaction.redact("key " + accessKeyId + " used")).doesNotContain(accessKeyId);
        assertThat(SecretRedaction.redact("https://b.s3/x?X-Amz-Signature=abc")).isEqualTo("[signed URL removed]");
        assertThat(SecretRedaction.redact("provide it using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)"))
                .isEqualTo("provide it using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)");
    }

    private static String trace(Throwable thrown) {
        StringWriter out = new StringWriter();
        thrown.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    @Test
    void requestLineFields_carryNoKey_andNoUnboundedCallerText() {
        RequestLogFields.begin("id");
        try {
            RequestLogFields.put(RequestLogFields.MODEL, "Bearer " + KEY + " " + "x".repeat(5_000));

            assertThat(RequestLogFields.get(RequestLogFields.MODEL)).doesNotContain(KEY)
                    .hasSizeLessThanOrEqualTo(RequestLogFields.MAX_VALUE_LENGTH + 1);
        } finally {
            RequestLogFields.end();
        }
    }
}
