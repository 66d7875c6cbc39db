package dev.imagegateway.batch;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

/**
 * Checks one line of a job: {@code {"custom_id", "method", "url", "body"}} as in the OpenAI Batch API.
 * A line that is a batch request goes to the job's batch, where the engine runs its body through the
 * endpoint's own reader, rules and generation; a line that is not gets an error line instead. No line
 * stops the job (the engine, as OpenAI's {@code /v1/batches}, would fail the whole file for one such
 * line: that is why the sweep checks them first).
 */
@ApplicationScoped
public class BatchLines {

    static final String METHOD = "POST";
    static final String URL = "/v1/images/generations";
    private static final Set<String> FIELDS = Set.of("custom_id", "method", "url", "body");
    /** Longer job lines are not read: the largest request body the route takes is far smaller. */
    static final int JOB_LINE_BYTES = 8 * 1024 * 1024;

    private final ObjectMapper mapper;
    private final ObjectReader strictReader;

    public BatchLines(ObjectMapper mapper) {
        this.mapper = mapper;
        this.strictReader = mapper.reader().with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    /**
     * What becomes of one job line: either {@code batchLine}, the line as the batch runs it, or
     * {@code error}, its answer. {@code customId} is the line's usable custom_id, if it has one.
     */
    record Checked(String customId, byte[] batchLine, BatchResultLine.Error error) {
    }

    /**
     * Checks {@code line}; {@code customIdsSeen} holds the custom_ids of the job's earlier lines (valid or
     * not, as when every line was run by the sweep), and gets this line's.
     */
    Checked check(JobLine line, Set<String> customIdsSeen) {
        if (line.bytes() == null) {
            return new Checked(null, null, new BatchResultLine.Error("invalid_line", "The line is longer than "
                    + JOB_LINE_BYTES + " bytes; one request is far smaller."));
        }
        String customId = null;
        try {
            ObjectNode root = parse(line.bytes());
            String usable = customId(root);
            boolean duplicate = usable != null && !customIdsSeen.add(usable);
            customId = requiredCustomId(root);
            if (duplicate) {
                throw new InvalidLine("duplicate_custom_id", "The custom_id '" + customId
                        + "' is used by an earlier line of this job; custom_ids must be unique.");
            }
            ObjectNode body = requestBody(root);
            JsonNode stream = body.path("stream");
            if (!stream.isBoolean() && stream.asBoolean(false)) {
                // The engine would refuse the whole file for it, and the route's own answer, a 400
                // invalid_type, is not known here.
                throw new InvalidLine("invalid_line", "'body.stream' must be a boolean.");
            }
            return new Checked(customId, batchLine(line.bytes(), root, body), null);
        } catch (InvalidLine e) {
            return new Checked(customId, null, new BatchResultLine.Error(e.code, e.getMessage()));
        }
    }

    /**
     * The line as its batch runs it: the job's own bytes, except that {@code "stream": true} becomes
     * {@code false}. The engine refuses a streamed line (a batch result is one body), while a job line
     * asking for it has always been answered as one body; the request rules treat both values alike, and
     * only the HTTP route reads the flag.
     */
    private byte[] batchLine(byte[] original, ObjectNode root, ObjectNode body) {
        if (!body.path("stream").booleanValue()) {
            return original;
        }
        body.put("stream", false);
        try {
            return mapper.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private ObjectNode parse(byte[] line) throws InvalidLine {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(line)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidLine("invalid_line", "The line is not valid UTF-8.");
        }
        JsonNode root;
        try {
            root = strictReader.readTree(text);
        } catch (IOException e) {
            // Jackson's message quotes the line, and with it the prompt.
            throw new InvalidLine("invalid_line", "The line is not a JSON object (one request per line, no duplicate"
                    + " keys).");
        }
        if (root == null || !root.isObject()) {
            throw new InvalidLine("invalid_line", "The line is not a JSON object.");
        }
        return (ObjectNode) root;
    }

    private static String customId(JsonNode root) {
        JsonNode customId = root.get("custom_id");
        return customId != null && customId.isTextual() && !customId.textValue().isBlank() ? customId.textValue() : null;
    }

    /**
     * The line's custom_id, or why it has none. OpenAI's custom_id is a string: a number is a wrong
     * type, not a missing id, and the message says so.
     */
    private static String requiredCustomId(JsonNode root) throws InvalidLine {
        JsonNode customId = root.get("custom_id");
        if (customId == null || customId.isNull()) {
            throw new InvalidLine("invalid_line", "Missing 'custom_id': each line needs a non-empty string custom_id.");
        }
        if (!customId.isTextual()) {
            throw new InvalidLine("invalid_line", "'custom_id' must be a string, not " + typeOf(customId)
                    + "; write it in quotes, e.g. \"custom_id\": \"" + (customId.isNumber() ? customId.asText() : "request-1")
                    + "\".");
        }
        if (customId.textValue().isBlank()) {
            throw new InvalidLine("invalid_line", "'custom_id' is empty: each line needs a non-empty string custom_id.");
        }
        return customId.textValue();
    }

    private static String typeOf(JsonNode node) {
        return switch (node.getNodeType()) {
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            default -> "a " + node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    private static ObjectNode requestBody(JsonNode root) throws InvalidLine {
        for (Iterator<String> names = root.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new InvalidLine("invalid_line", "Unknown field '" + name + "'; a line has custom_id, method, url"
                        + " and body.");
            }
        }
        if (!METHOD.equals(root.path("method").asText(null))) {
            throw new InvalidLine("invalid_line", "'method' must be \"POST\".");
        }
        if (!URL.equals(root.path("url").asText(null))) {
            throw new InvalidLine("invalid_line", "'url' must be \"" + URL + "\"; this gateway runs image generations"
                    + " only.");
        }
        JsonNode body = root.get("body");
        if (body == null || !body.isObject()) {
            throw new InvalidLine("invalid_line", "'body' must be the request object, as sent to " + URL + ".");
        }
        return (ObjectNode) body;
    }

    /** A line that is not a batch request; never leaves this class. */
    private static final class InvalidLine extends Exception {
        private final String code;

        InvalidLine(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }
}
