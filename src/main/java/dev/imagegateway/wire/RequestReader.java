package dev.imagegateway.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.imagegateway.error.InvalidRequestException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads a request body strictly, as OpenAI does: malformed JSON or a field of the API of the wrong JSON
 * type is a 400 naming that field. Jackson parses; the typing is ours, because binding would silently
 * coerce ({@code "2"} to 2, {@code 1.5} to 1) where OpenAI refuses. Fields that are not fields of the API
 * are handed on as plain values: whether the chosen model takes them (a catalog entry's extra field,
 * such as {@code complexity}) or not ({@code unknown_parameter}) is for the request rules to say.
 */
@ApplicationScoped
public class RequestReader {

    private static final Set<String> FIELDS = Set.of("prompt", "model", "n", "quality", "response_format",
            "output_format", "output_compression", "stream", "partial_images", "size", "moderation", "background",
            "style", "user");

    private final ObjectReader reader;
    private final ObjectMapper mapper;

    public RequestReader(ObjectMapper mapper) {
        this.mapper = mapper;
        this.reader = mapper.reader()
                .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    public ImageRequest read(byte[] body) {
        return fields(object(body), Set.of());
    }

    /** The body as a JSON object, or the 400 OpenAI answers a body that is not one. */
    JsonNode object(byte[] body) {
        JsonNode root = parse(body);
        if (!root.isObject()) {
            throw new InvalidRequestException(null, "invalid_type",
                    "The request body must be a JSON object, but got " + typeName(root) + " instead.");
        }
        return root;
    }

    /**
     * The fields of the API in {@code root}; every other field but those in {@code readElsewhere} is
     * handed on as an extra one.
     */
    ImageRequest fields(JsonNode root, Set<String> readElsewhere) {
        Map<String, Object> extra = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = root.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!FIELDS.contains(field.getKey()) && !readElsewhere.contains(field.getKey())) {
                // null kept: "the default" for a field the model takes, still an unknown one for any other
                extra.put(field.getKey(), field.getValue().isNull() ? null : plainValue(field.getValue()));
            }
        }
        JsonNode prompt = root.get("prompt");
        if (prompt != null && prompt.isNull()) {
            // Unlike every other field, the prompt has no default that null could stand for.
            throw wrongType("prompt", "a string", prompt);
        }
        return new ImageRequest(
                string(root, "prompt"),
                string(root, "model"),
                integer(root, "n"),
                string(root, "quality"),
                string(root, "response_format"),
                string(root, "output_format"),
                integer(root, "output_compression"),
                bool(root, "stream"),
                integer(root, "partial_images"),
                string(root, "size"),
                string(root, "moderation"),
                string(root, "background"),
                string(root, "style"),
                string(root, "user"),
                extra);
    }

    /** A JSON value as a plain Java one; integers as Long, or BigInteger beyond it. */
    private Object plainValue(JsonNode node) {
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
        }
        return mapper.convertValue(node, Object.class);
    }

    private JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw invalidJson("The request body is empty; send a JSON object.");
        }
        if (!WellFormedText.isUtf8(body)) {
            throw invalidJson("The request body is not well-formed UTF-8; send a JSON object in UTF-8.");
        }
        try {
            JsonNode root = reader.readTree(body);
            if (root == null || root.isMissingNode()) {
                throw invalidJson("The request body is empty; send a JSON object.");
            }
            if (spellsLoneSurrogate(root)) {
                throw invalidJson("The request body is not well-formed UTF-8: a \\u escape spells half of a"
                        + " surrogate pair.");
            }
            return root;
        } catch (IOException e) {
            // Jackson's own message quotes the body; ours does not.
            throw invalidJson("We could not parse the JSON body of your request. The body must be a valid JSON"
                    + " object (UTF-8, no duplicate keys, nothing after it).");
        }
    }

    private static boolean spellsLoneSurrogate(JsonNode node) {
        if (node.isTextual()) {
            return WellFormedText.hasLoneSurrogate(node.textValue());
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (WellFormedText.hasLoneSurrogate(field.getKey()) || spellsLoneSurrogate(field.getValue())) {
                return true;
            }
        }
        for (JsonNode element : node) {
            if (node.isArray() && spellsLoneSurrogate(element)) {
                return true;
            }
        }
        return false;
    }

    static String string(JsonNode root, String name) {
        JsonNode node = root.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw wrongType(name, "a string", node);
        }
        return node.textValue();
    }

    static Long integer(JsonNode root, String name) {
        JsonNode node = root.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber()) {
            throw wrongType(name, "an integer", node);
        }
        if (!node.canConvertToLong()) {
            boolean negative = node.bigIntegerValue().signum() < 0;
            throw new InvalidRequestException(name, negative ? "integer_below_min_value" : "integer_above_max_value",
                    "Invalid '" + name + "': integer " + (negative ? "below minimum" : "above maximum")
                            + " value. Got " + node.asText() + ", which is out of range.");
        }
        return node.longValue();
    }

    private static Boolean bool(JsonNode root, String name) {
        JsonNode node = root.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isBoolean()) {
            throw wrongType(name, "a boolean", node);
        }
        return node.booleanValue();
    }

    static InvalidRequestException wrongType(String name, String expected, JsonNode node) {
        return new InvalidRequestException(name, "invalid_type",
                "Invalid type for '" + name + "': expected " + expected + ", but got " + typeName(node) + " instead.");
    }

    private static InvalidRequestException invalidJson(String message) {
        // OpenAI answers a body it cannot parse with no code at all.
        return new InvalidRequestException(null, null, message);
    }

    static String typeName(JsonNode node) {
        return switch (node.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> node.isIntegralNumber() ? "an integer" : "a decimal number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case NULL -> "null";
            default -> "an unsupported value";
        };
    }
}
