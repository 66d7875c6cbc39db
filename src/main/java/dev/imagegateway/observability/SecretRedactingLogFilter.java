package dev.imagegateway.observability;

import io.quarkus.logging.LoggingFilter;
import java.util.Objects;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Runs on every record the console handler writes ({@code quarkus.log.console.filter}), whoever logged
 * it: the gateway's own code never logs a header or a key, but libraries do quote what they refuse (the
 * Lambda HTTP bridge logged a whole {@code Authorization} value at ERROR once Netty refused a control
 * byte in it). Secrets in the message or in any exception message of the chain are cut out; the record
 * is always kept, so that nothing goes unreported.
 */
@LoggingFilter(name = SecretRedactingLogFilter.NAME)
public final class SecretRedactingLogFilter implements Filter {

    public static final String NAME = "secret-redaction";

    @Override
    public boolean isLoggable(LogRecord record) {
        String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        String redacted = SecretRedaction.redact(message);
        if (!Objects.equals(message, redacted)) {
            if (record instanceof ExtLogRecord ext) {
                ext.setMessage(redacted, ExtLogRecord.FormatStyle.NO_FORMAT);
            } else {
                record.setMessage(redacted);
            }
            record.setParameters(null);
        }
        if (record.getThrown() != null && carriesSecret(record.getThrown())) {
            record.setThrown(RedactedThrowable.of(record.getThrown()));
        }
        return true;
    }

    private static boolean carriesSecret(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && !message.equals(SecretRedaction.redact(message))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** Stands in for an exception whose message held a secret: same class name and stack, message redacted. */
    static final class RedactedThrowable extends RuntimeException {

        private final String originalClass;

        private RedactedThrowable(Throwable original, Throwable cause) {
            super(SecretRedaction.redact(original.getMessage()), cause, false, true);
            this.originalClass = original.getClass().getName();
            setStackTrace(original.getStackTrace());
        }

        static RedactedThrowable of(Throwable original) {
            return of(original, 0);
        }

        private static RedactedThrowable of(Throwable original, int depth) {
            Throwable cause = original.getCause();
            // A cause chain can loop; twenty levels are more than any real one has.
            boolean last = cause == null || cause == original || depth >= 20;
            return new RedactedThrowable(original, last ? null : of(cause, depth + 1));
        }

        @Override
        public String toString() {
            String message = getMessage();
            return message == null ? originalClass : originalClass + ": " + message;
        }
    }
}
