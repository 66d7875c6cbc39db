package dev.imagegateway.batch.engine;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.imagegateway.batch.engine.BatchObject.LineError;
import dev.imagegateway.wire.WellFormedText;
import java.io.IOException;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The rules every line of an input file must meet before any line runs (the contract's list): a JSON
 * object with a string {@code custom_id} used by no other line, {@code method} POST, {@code url} the
 * batch's endpoint, an object {@code body}, and no {@code stream: true}. One instance checks one file:
 * it remembers the custom_ids seen.
 */
final class InputLineRules {

    private static final ObjectReader READER = BatchRecord.JSON.reader()
            .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** Characters of a custom_id an error message quotes; a longer one is cut, with an ellipsis. */
    static final int MAX_QUOTED_CUSTOM_ID = 64;

    private final String endpoint;
    private final Set<String> customIds = new HashSet<>();

    InputLineRules(String endpoint) {
        this.endpoint = endpoint;
    }

    /** What is wrong with the line, if anything. */
    Optional<LineError> problem(InputLine line) {
        int n = line.number();
        if (line.bytes() == null) {
            return error("invalid_json_line", "Line " + n + " is longer than " + InputFileLines.MAX_LINE_BYTES
                    + " bytes.", null, n);
        }
        JsonNode root = parse(line.bytes());
        if (root == null || !root.isObject()) {
            // Never the line itself in the message: it holds the prompt.
            return error("invalid_json_line", "Line " + n + " is not a valid JSON object (one request per line, UTF-8,"
                    + " no duplicate keys).", null, n);
        }
        JsonNode customId = root.get("custom_id");
        if (customId == null || !customId.isTextual() || customId.textValue().isEmpty()) {
            return error("missing_required_parameter", "Line " + n + " has no 'custom_id': each line needs a"
                    + " non-empty string custom_id.", "custom_id", n);
        }
        if (!customIds.add(customId.textValue())) {
            return error("duplicate_custom_id", "The custom_id '" + quoted(customId.textValue()) + "' on line " + n
                    + " is used by an earlier line; each custom_id must be unique within the file.", "custom_id", n);
        }
        if (!"POST".equals(root.path("method").asText(null))) {
            return error("invalid_method", "Line " + n + ": 'method' must be \"POST\".", "method", n);
        }
        if (!endpoint.equals(root.path("url").asText(null))) {
            return error("invalid_url", "Line " + n + ": 'url' must be the batch's endpoint, \"" + endpoint + "\".",
                    "url", n);
        }
        JsonNode body = root.get("body");
        if (body == null || !body.isObject()) {
            return error("invalid_request", "Line " + n + ": 'body' must be the request object, as sent to "
                    + endpoint + ".", "body", n);
        }
        // Only the boolean true fails the file: Jackson's asBoolean() also takes "true" and 1, and such a
        // value is a request rule broken by one line (its 400 invalid_type in the error file), not the file.
        JsonNode stream = body.get("stream");
        if (stream != null && stream.isBoolean() && stream.booleanValue()) {
            return error("invalid_request", "Line " + n + ": 'stream' is not supported in a batch; each line is"
                    + " answered as one JSON body.", "body.stream", n);
        }
        return Optional.empty();
    }

    /** A custom_id as an error message quotes it: a line may be 8 MiB, and so may its custom_id. */
    static String quoted(String customId) {
        return customId.codePointCount(0, customId.length()) <= MAX_QUOTED_CUSTOM_ID ? customId
                : customId.substring(0, customId.offsetByCodePoints(0, MAX_QUOTED_CUSTOM_ID)) + "…";
    }

    private static JsonNode parse(byte[] bytes) {
        if (!WellFormedText.isUtf8(bytes)) {
            return null;
        }
        try {
            return READER.readTree(bytes);
        } catch (IOException e) {
            return null;
        }
    }

    private static Optional<LineError> error(String code, String message, String param, int line) {
        return Optional.of(new LineError(code, message, param, line));
    }
}
