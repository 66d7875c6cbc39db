package dev.imagegateway.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagegateway.catalog.FieldRule.FieldType;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads one resolved catalog entry into a {@link ModelEntry}, refusing anything it does not understand. */
final class EntryReader {

    private static final Set<String> ENTRY_KEYS = Set.of("enabled", "owned_by", "created", "snapshots", "lifecycle",
            "prompt_max_length", "n_max", "fields", "default_response_format", "upstream_response_format",
            "refusal_type", "edits", "upstream", "upstream_model", "fallbacks");
    private static final Set<String> RULE_KEYS_ONLY = CatalogReader.RULE_KEYS;
    private static final Set<String> FIELD_RULE_KEYS = Set.of("type", "values", "min", "max", "free", "auto");
    private static final Set<String> FREE_SIZE_KEYS = Set.of("divisible_by", "max_aspect_ratio", "max_edge",
            "min_pixels", "max_pixels");
    private static final Set<String> EDIT_KEYS = Set.of("max_images", "image_formats", "max_image_bytes", "square",
            "mask", "max_mask_bytes", "json");
    private static final Set<String> INPUT_FORMATS = Set.of("png", "jpeg", "webp");
    private static final long DEFAULT_MAX_MASK_BYTES = 4L * 1024 * 1024;
    private static final Set<String> RESPONSE_FORMATS = Set.of("url", "b64_json");
    private static final Set<String> ERROR_TYPES = Set.of("invalid_request_error", "image_generation_user_error");
    private static final Pattern DIMENSIONS = Pattern.compile("[1-9][0-9]{0,4}x[1-9][0-9]{0,4}");
    private static final Pattern FIELD_NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    private EntryReader() {
    }

    static ModelEntry entry(String id, ObjectNode node, EntryProblems problems) {
        checkKeys(node, ENTRY_KEYS, "", problems);
        if (id.isBlank()) {
            throw problems.problem("(name)", "a model name must not be blank");
        }
        return new ModelEntry(
                id,
                bool(node, "enabled", true, problems),
                optionalText(node, "owned_by", problems).orElse("openai"),
                optionalLong(node, "created", 0, Long.MAX_VALUE, problems).orElse(0),
                texts(node, "snapshots", problems),
                lifecycle(node.get("lifecycle"), problems),
                rules(node, problems),
                optionalText(node, "upstream", problems),
                optionalText(node, "upstream_model", problems),
                texts(node, "fallbacks", problems));
    }

    /** The rules of a document's {@code unknown_models}, which has rule fields only. */
    static ModelRules unknownModelRules(ObjectNode node, EntryProblems problems) {
        checkKeys(node, RULE_KEYS_ONLY, "", problems);
        return rules(node, problems);
    }

    static ModelRules rules(ObjectNode node, EntryProblems problems) {
        String defaultFormat = requiredText(node, "default_response_format", problems);
        if (!RESPONSE_FORMATS.contains(defaultFormat)) {
            throw problems.problem("default_response_format", "expected 'url' or 'b64_json', got '" + defaultFormat + "'");
        }
        Optional<String> upstreamFormat = optionalText(node, "upstream_response_format", problems);
        if (upstreamFormat.isPresent() && !RESPONSE_FORMATS.contains(upstreamFormat.get())) {
            throw problems.problem("upstream_response_format", "expected 'url' or 'b64_json', got '"
                    + upstreamFormat.get() + "'");
        }
        String refusalType = optionalText(node, "refusal_type", problems).orElse("invalid_request_error");
        if (!ERROR_TYPES.contains(refusalType)) {
            throw problems.problem("refusal_type", "expected one of " + ERROR_TYPES + ", got '" + refusalType + "'");
        }
        return new ModelRules(
                (int) requiredLong(node, "prompt_max_length", 1, Integer.MAX_VALUE, problems),
                (int) requiredLong(node, "n_max", 1, 10, problems),
                fields(node.get("fields"), problems),
                defaultFormat,
                upstreamFormat,
                refusalType,
                edits(node.get("edits"), problems));
    }

    /** The entry's {@code edits}: absent or null for a model that does not edit. */
    private static Optional<EditLimits> edits(JsonNode node, EntryProblems problems) {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isObject()) {
            throw problems.problem("edits", "expected an object such as {\"max_images\": 16, \"max_image_bytes\": ...},"
                    + " or null for a model that does not edit");
        }
        checkKeys(node, EDIT_KEYS, "edits.", problems);
        List<String> formats = node.has("image_formats") ? texts(node, "image_formats", "edits.image_formats", problems)
                : List.of("png", "jpeg", "webp");
        for (String format : formats) {
            if (!INPUT_FORMATS.contains(format)) {
                throw problems.problem("edits.image_formats", "expected png, jpeg or webp, got '" + format + "'");
            }
        }
        if (formats.isEmpty()) {
            throw problems.problem("edits.image_formats", "a model that edits takes at least one input format");
        }
        long maxImages = optionalLong(node, "max_images", 1, 16, "edits.max_images", problems).orElseThrow(
                () -> problems.problem("edits.max_images", "missing; a model that edits says how many images it takes"));
        long maxImageBytes = optionalLong(node, "max_image_bytes", 1, Long.MAX_VALUE, "edits.max_image_bytes", problems)
                .orElseThrow(() -> problems.problem("edits.max_image_bytes", "missing; a model that edits says how"
                        + " large an input image may be"));
        return Optional.of(new EditLimits(
                (int) maxImages,
                formats,
                maxImageBytes,
                editFlag(node, "square", false, problems),
                editFlag(node, "mask", true, problems),
                optionalLong(node, "max_mask_bytes", 1, Long.MAX_VALUE, "edits.max_mask_bytes", problems)
                        .orElse(DEFAULT_MAX_MASK_BYTES),
                editFlag(node, "json", true, problems)));
    }

    private static boolean editFlag(JsonNode node, String key, boolean fallback, EntryProblems problems) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw problems.problem("edits." + key, "expected true or false, got " + value);
        }
        return value.booleanValue();
    }

    private static Map<String, FieldRule> fields(JsonNode node, EntryProblems problems) {
        Map<String, FieldRule> fields = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return fields;
        }
        if (!node.isObject()) {
            throw problems.problem("fields", "expected an object of field rules by field name");
        }
        for (Map.Entry<String, JsonNode> property : node.properties()) {
            String name = property.getKey();
            String path = "fields." + name;
            if (ApiFields.BASIC.contains(name)) {
                throw problems.problem(path, "every model takes '" + name + "'; it has no rule of its own");
            }
            if (!FIELD_NAME.matcher(name).matches()) {
                throw problems.problem(path, "a field name is lowercase letters, digits and '_'");
            }
            fields.put(name, fieldRule(name, property.getValue(), path, problems));
        }
        return Map.copyOf(fields);
    }

    private static FieldRule fieldRule(String name, JsonNode node, String path, EntryProblems problems) {
        if (!node.isObject()) {
            throw problems.problem(path, "expected an object such as {} or {\"values\": [...]}");
        }
        checkKeys(node, FIELD_RULE_KEYS, path + ".", problems);
        FieldType standard = ApiFields.OPTIONAL.getOrDefault(name, ApiFields.EDIT_ONLY.get(name));
        FieldType type;
        if (node.has("type")) {
            if (standard != null) {
                throw problems.problem(path + ".type", "'" + name + "' is a field of the API; its type is fixed");
            }
            String given = node.get("type").asText();
            try {
                type = FieldType.valueOf(given.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw problems.problem(path + ".type", "expected string, integer, number or boolean, got '" + given + "'");
            }
        } else if (standard != null) {
            type = standard;
        } else {
            throw problems.problem(path + ".type", "'" + name + "' is not a field of the API, so its entry must"
                    + " declare its type (string, integer, number or boolean)");
        }
        Optional<List<String>> values = node.has("values") ? Optional.of(texts(node, "values", path + ".values",
                problems)) : Optional.empty();
        if (values.isPresent() && type != FieldType.STRING) {
            throw problems.problem(path + ".values", "only string fields list values");
        }
        OptionalLong min = optionalLong(node, "min", Long.MIN_VALUE, Long.MAX_VALUE, path + ".min", problems);
        OptionalLong max = optionalLong(node, "max", Long.MIN_VALUE, Long.MAX_VALUE, path + ".max", problems);
        if ((min.isPresent() || max.isPresent()) && type != FieldType.INTEGER) {
            throw problems.problem(path + (min.isPresent() ? ".min" : ".max"), "only integer fields have a range");
        }
        if (min.isPresent() && max.isPresent() && min.getAsLong() > max.getAsLong()) {
            throw problems.problem(path + ".min", "min " + min.getAsLong() + " is above max " + max.getAsLong());
        }
        boolean size = name.equals("size");
        if (!size && (node.has("free") || node.has("auto"))) {
            throw problems.problem(path + (node.has("free") ? ".free" : ".auto"), "only 'size' has free sizes or an"
                    + " auto size");
        }
        if (size && values.isPresent()) {
            for (String value : values.get()) {
                if (!value.equals("auto") && !DIMENSIONS.matcher(value).matches()) {
                    throw problems.problem(path + ".values", "expected 'auto' or WIDTHxHEIGHT, got '" + value + "'");
                }
            }
        }
        Optional<String> auto = optionalText(node, "auto", path + ".auto", problems);
        if (auto.isPresent() && !DIMENSIONS.matcher(auto.get()).matches()) {
            throw problems.problem(path + ".auto", "expected WIDTHxHEIGHT, got '" + auto.get() + "'");
        }
        Optional<FreeSizes> free = node.has("free") ? Optional.of(freeSizes(node.get("free"), path + ".free", problems))
                : Optional.empty();
        return new FieldRule(type, values, min, max, free, auto);
    }

    private static FreeSizes freeSizes(JsonNode node, String path, EntryProblems problems) {
        if (!node.isObject()) {
            throw problems.problem(path, "expected an object of size limits");
        }
        checkKeys(node, FREE_SIZE_KEYS, path + ".", problems);
        OptionalDouble ratio = OptionalDouble.empty();
        JsonNode ratioNode = node.get("max_aspect_ratio");
        if (ratioNode != null) {
            if (!ratioNode.isNumber() || ratioNode.doubleValue() < 1) {
                throw problems.problem(path + ".max_aspect_ratio", "expected a number of at least 1, got " + ratioNode);
            }
            ratio = OptionalDouble.of(ratioNode.doubleValue());
        }
        OptionalLong minPixels = optionalLong(node, "min_pixels", 1, Long.MAX_VALUE, path + ".min_pixels", problems);
        OptionalLong maxPixels = optionalLong(node, "max_pixels", 1, Long.MAX_VALUE, path + ".max_pixels", problems);
        if (minPixels.isPresent() && maxPixels.isPresent() && minPixels.getAsLong() > maxPixels.getAsLong()) {
            throw problems.problem(path + ".min_pixels", "min_pixels is above max_pixels");
        }
        return new FreeSizes(
                optionalLong(node, "divisible_by", 1, Long.MAX_VALUE, path + ".divisible_by", problems),
                ratio,
                optionalLong(node, "max_edge", 1, Long.MAX_VALUE, path + ".max_edge", problems),
                minPixels,
                maxPixels);
    }

    private static Lifecycle lifecycle(JsonNode node, EntryProblems problems) {
        if (node == null || node.isNull()) {
            return Lifecycle.UNSTATED;
        }
        if (!node.isObject()) {
            throw problems.problem("lifecycle", "expected {\"status\": \"active\", \"date\": \"YYYY-MM-DD\"}");
        }
        checkKeys(node, Set.of("status", "date"), "lifecycle.", problems);
        String status = optionalText(node, "status", "lifecycle.status", problems).orElse("active");
        Lifecycle.Status parsed;
        try {
            parsed = Lifecycle.Status.valueOf(status.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw problems.problem("lifecycle.status", "expected active, deprecated or shutdown, got '" + status + "'");
        }
        Optional<String> date = optionalText(node, "date", "lifecycle.date", problems);
        try {
            return new Lifecycle(parsed, date.map(LocalDate::parse));
        } catch (DateTimeParseException e) {
            throw problems.problem("lifecycle.date", "expected a date as YYYY-MM-DD, got '" + date.get() + "'");
        }
    }

    private static void checkKeys(JsonNode node, Set<String> known, String prefix, EntryProblems problems) {
        for (var names = node.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!known.contains(name)) {
                throw problems.problem(prefix + name, "unknown field (known: " + String.join(", ", known.stream()
                        .sorted().toList()) + ")");
            }
        }
    }

    private static boolean bool(JsonNode node, String key, boolean fallback, EntryProblems problems) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw problems.problem(key, "expected true or false, got " + value);
        }
        return value.booleanValue();
    }

    private static String requiredText(JsonNode node, String key, EntryProblems problems) {
        return optionalText(node, key, problems).orElseThrow(() -> problems.problem(key, "missing; every entry needs"
                + " it (or a 'like' that gives it)"));
    }

    private static Optional<String> optionalText(JsonNode node, String key, EntryProblems problems) {
        return optionalText(node, key, key, problems);
    }

    private static Optional<String> optionalText(JsonNode node, String key, String path, EntryProblems problems) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual() || value.textValue().isBlank()) {
            throw problems.problem(path, "expected a non-empty string, got " + value);
        }
        return Optional.of(value.textValue());
    }

    private static List<String> texts(JsonNode node, String key, EntryProblems problems) {
        return texts(node, key, key, problems);
    }

    private static List<String> texts(JsonNode node, String key, String path, EntryProblems problems) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw problems.problem(path, "expected an array of strings, got " + value);
        }
        List<String> texts = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual() || item.textValue().isBlank()) {
                throw problems.problem(path, "expected an array of non-empty strings, got " + item + " in it");
            }
            texts.add(item.textValue());
        }
        return List.copyOf(texts);
    }

    private static long requiredLong(JsonNode node, String key, long min, long max, EntryProblems problems) {
        return optionalLong(node, key, min, max, key, problems).orElseThrow(() -> problems.problem(key,
                "missing; every entry needs it (or a 'like' that gives it)"));
    }

    private static OptionalLong optionalLong(JsonNode node, String key, long min, long max, EntryProblems problems) {
        return optionalLong(node, key, min, max, key, problems);
    }

    private static OptionalLong optionalLong(JsonNode node, String key, long min, long max, String path,
            EntryProblems problems) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return OptionalLong.empty();
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw problems.problem(path, "expected an integer, got " + value);
        }
        long number = value.longValue();
        if (number < min || number > max) {
            throw problems.problem(path, "expected an integer between " + min + " and " + max + ", got " + number);
        }
        return OptionalLong.of(number);
    }
}
