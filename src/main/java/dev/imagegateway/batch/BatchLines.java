package dev.imagegateway.batch;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.imagegateway.error.ErrorAnswer;
import dev.imagegateway.error.GatewayException;
import dev.imagegateway.observability.RequestLogFields;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Answers one line of a job: {@code {"custom_id", "method", "url", "body"}} as in the OpenAI Batch API.
 * The body goes through the endpoint's own reader, rules and generation, and failures get the status and
 * envelope the endpoint would answer; a line that is not a batch request at all gets an error line. No
 * line stops the job.
 */
@ApplicationScoped
public class BatchLines {

    static final String METHOD = "POST";
    static final String URL = "/v1/images/generations";
    private static final Set<String> FIELDS = Set.of("custom_id", "method", "url", "body");

    private final LineRunner runner;
    private final ObjectReader strictReader;

    public BatchLines(LineRunner runner, ObjectMapper mapper) {
        this.runner = runner;
        this.strictReader = mapper.reader().with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    /** The line's {@code custom_id} if it has a usable one; duplicates are found with it before any line runs. */
    Optional<String> customIdOf(byte[] line) {
        try {
            return Optional.ofNullable(customId(parse(line)));
        } catch (InvalidLine e) {
            return Optional.empty();
        }
    }

    /** The answer to {@code line}; {@code duplicate} says an earlier line of the job has the same custom_id. */
    BatchResultLine answer(byte[] line, boolean duplicate) {
        String requestId = UUID.randomUUID().toString();
        String id = "batch_req_" + requestId.replace("-", "");
        JsonNode body;
        String customId = null;
        try {
            JsonNode root = parse(line);
            customId = requiredCustomId(root);
            if (duplicate) {
                throw new InvalidLine("duplicate_custom_id", "The custom_id '" + customId
                        + "' is used by an earlier line of this job; custom_ids must be unique.");
            }
            body = requestBody(root);
        } catch (InvalidLine e) {
            return new BatchResultLine(id, customId, null, new BatchResultLine.Error(e.code, e.getMessage()));
        }
        return new BatchResultLine(id, customId, run(body, requestId), null);
    }

    private BatchResultLine.Response run(JsonNode body, String requestId) {
        // Each line is its own request in the logs: its id, and no facts carried over from the line before.
        RequestLogFields.begin(requestId);
        try {
            return new BatchResultLine.Response(200, requestId, runner.run(body, requestId, null));
        } catch (GatewayException e) {
            return failure(ErrorAnswer.of(e), requestId);
        } catch (RuntimeException e) {
            return failure(ErrorAnswer.unexpected(e), requestId);
        } finally {
            RequestLogFields.end();
        }
    }

    private BatchResultLine.Response failure(ErrorAnswer answer, String requestId) {
        return new BatchResultLine.Response(answer.status(), requestId, runner.errorBody(answer));
    }

    private JsonNode parse(byte[] line) throws InvalidLine {
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
        return root;
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

    private static JsonNode requestBody(JsonNode root) throws InvalidLine {
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
        return body;
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
