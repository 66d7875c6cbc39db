package dev.imagegateway.observability;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.MDC;

/**
 * The facts of one request, gathered while it runs and written as one log line (and one metrics
 * record) when it ends. They live in the logging context (MDC), which Quarkus carries across the
 * threads of a request, so every log line of the request carries them too.
 */
public final class RequestLogFields {

    public static final String REQUEST_ID = "requestId";
    public static final String MODEL = "model";
    public static final String N = "n";
    public static final String SIZE = "size";
    public static final String RESPONSE_FORMAT = "responseFormat";
    public static final String PROMPT = "prompt";
    public static final String STATUS = "status";
    public static final String ERROR_CODE = "errorCode";
    /** A bounded classification of the error for metrics; upstream codes are free text and stay in ERROR_CODE. */
    public static final String OUTCOME = "outcome";
    public static final String UPSTREAM_MS = "upstreamMs";
    public static final String UPSTREAM_ATTEMPTS = "upstreamAttempts";
    public static final String UPLOAD_MS = "uploadMs";
    public static final String TOTAL_MS = "totalMs";
    public static final String IMAGES_STORED = "imagesStored";
    public static final String BYTES_STORED = "bytesStored";
    /** Present (true) on {@code stream=true} requests. */
    public static final String STREAM = "stream";
    /** Partial images left out of a streamed answer to keep it within the response limit. */
    public static final String PARTIAL_IMAGES_DROPPED = "partialImagesDropped";
    /** On edits: the form ({@code multipart} or {@code json}) and the number of input images. */
    public static final String EDIT_FORM = "editForm";
    public static final String EDIT_IMAGES = "editImages";

    /** The order in which fields appear in the plain-text request line. */
    private static final List<String> ORDER = List.of(REQUEST_ID, STATUS, OUTCOME, ERROR_CODE, MODEL, N, SIZE, RESPONSE_FORMAT,
            UPSTREAM_MS,
            UPSTREAM_ATTEMPTS, UPLOAD_MS, TOTAL_MS, IMAGES_STORED, BYTES_STORED, STREAM, PARTIAL_IMAGES_DROPPED, EDIT_FORM,
            EDIT_IMAGES, PROMPT);

    private RequestLogFields() {
    }

    /** Longest value a field keeps (but the prompt, logged whole when an operator asks for it). */
    static final int MAX_VALUE_LENGTH = 200;

    public static void put(String key, Object value) {
        if (value != null) {
            MDC.put(key, bounded(key, String.valueOf(value)));
        }
    }

    /**
     * Fields carry caller and upstream text (any model name passes through; an upstream's error code is
     * free text) into every log line and the metrics record, which the console's log filter does not
     * read: they are redacted and cut to a bounded length here.
     */
    private static String bounded(String key, String value) {
        String redacted = SecretRedaction.redact(value);
        return key.equals(PROMPT) || redacted.length() <= MAX_VALUE_LENGTH ? redacted
                : redacted.substring(0, MAX_VALUE_LENGTH) + "…";
    }

    /** Adds {@code value} to a numeric field (a request may store images more than once, e.g. a kept 413). */
    public static void add(String key, long value) {
        Object current = MDC.get(key);
        long sum = value + (current == null ? 0 : Long.parseLong(current.toString()));
        MDC.put(key, Long.toString(sum));
    }

    /**
     * Adds a duration: whole milliseconds under {@code msKey} (for the request line and metrics) and the
     * exact nanoseconds under a companion key that only the {@code Server-Timing} header reads.
     */
    public static void addDuration(String msKey, long nanos) {
        add(nanosKey(msKey), nanos);
        MDC.put(msKey, Long.toString(Long.parseLong(get(nanosKey(msKey))) / 1_000_000));
    }

    /** The exact nanoseconds recorded for a duration field, or 0. */
    public static long nanos(String msKey) {
        String value = get(nanosKey(msKey));
        return value == null ? 0 : Long.parseLong(value);
    }

    private static String nanosKey(String msKey) {
        return msKey + "Nanos";
    }

    public static String get(String key) {
        Object value = MDC.get(key);
        return value == null ? null : value.toString();
    }

    /** The request's facts, in a stable order, for the request line and the metrics record. */
    public static Map<String, String> snapshot() {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String key : ORDER) {
            String value = get(key);
            if (value != null) {
                fields.put(key, value);
            }
        }
        return fields;
    }

    /** Starts a request with nothing but its id in the context. */
    public static void begin(String requestId) {
        MDC.clear();
        MDC.put(REQUEST_ID, requestId);
    }

    public static void end() {
        MDC.clear();
    }
}
