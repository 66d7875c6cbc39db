package dev.imagegateway.catalog;

import dev.imagegateway.catalog.FieldRule.FieldType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The fields of OpenAI's image generation request. Every model takes the basic ones; the optional ones
 * a model takes are listed in its catalog entry, and any other name an entry lists is an extra field of
 * that model with the type the entry declares.
 */
public final class ApiFields {

    /** Fields every model takes, whatever its entry says. */
    public static final Set<String> BASIC = Set.of("prompt", "model", "n", "response_format", "user");

    /** Optional fields with their JSON types, in the order docs/api.md lists them. */
    public static final Map<String, FieldType> OPTIONAL = optional();

    /**
     * Fields of the edit request only, with their JSON types: an entry lists them in {@code fields} like
     * the others, and a generation request that sends one gets {@code unknown_parameter}.
     */
    public static final Map<String, FieldType> EDIT_ONLY = Map.of("input_fidelity", FieldType.STRING);

    private ApiFields() {
    }

    private static Map<String, FieldType> optional() {
        Map<String, FieldType> fields = new LinkedHashMap<>();
        fields.put("quality", FieldType.STRING);
        fields.put("output_format", FieldType.STRING);
        fields.put("output_compression", FieldType.INTEGER);
        fields.put("stream", FieldType.BOOLEAN);
        fields.put("partial_images", FieldType.INTEGER);
        fields.put("size", FieldType.STRING);
        fields.put("moderation", FieldType.STRING);
        fields.put("background", FieldType.STRING);
        fields.put("style", FieldType.STRING);
        return java.util.Collections.unmodifiableMap(fields);
    }
}
