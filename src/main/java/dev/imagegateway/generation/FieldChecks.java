package dev.imagegateway.generation;

import dev.imagegateway.catalog.FieldRule;
import dev.imagegateway.catalog.FieldRule.FieldType;
import dev.imagegateway.error.ErrorCodes;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One field's value against its catalog rule, with OpenAI's codes and wording. */
final class FieldChecks {

    private FieldChecks() {
    }

    static Violation unknownParameter(String param) {
        return new Violation(param, ErrorCodes.UNKNOWN_PARAMETER, "Unknown parameter: '" + param + "'.");
    }

    /** What is wrong with {@code value} (already of the field's JSON type, or checked here) under {@code rule}. */
    static Optional<Violation> check(String param, Object value, FieldRule rule) {
        if (!hasType(value, rule.type())) {
            return Optional.of(new Violation(param, ErrorCodes.INVALID_TYPE, "Invalid type for '" + param + "': expected "
                    + rule.type().description() + ", but got " + typeName(value) + " instead."));
        }
        if (value instanceof String text && rule.values().isPresent() && !rule.values().get().contains(text)) {
            return Optional.of(new Violation(param, ErrorCodes.INVALID_VALUE, "Invalid value: '" + text
                    + "'. Supported values are: " + quoted(rule.values().get()) + "."));
        }
        if (rule.type() == FieldType.INTEGER) {
            return range(param, value, rule.min().isPresent() ? rule.min().getAsLong() : null,
                    rule.max().isPresent() ? rule.max().getAsLong() : null);
        }
        return Optional.empty();
    }

    /** An integer against its bounds; a null bound is none. */
    static Optional<Violation> range(String param, Object value, Long min, Long max) {
        boolean below = value instanceof BigInteger big ? big.signum() < 0 : min != null && ((Long) value) < min;
        boolean above = value instanceof BigInteger big ? big.signum() > 0 : max != null && ((Long) value) > max;
        if (below && min != null) {
            return Optional
                    .of(new Violation(param, ErrorCodes.BELOW_MIN, "Invalid '" + param + "': integer below minimum value."
                            + " Expected a value >= " + min + ", but got " + value + " instead."));
        }
        if (above && max != null) {
            return Optional
                    .of(new Violation(param, ErrorCodes.ABOVE_MAX, "Invalid '" + param + "': integer above maximum value."
                            + " Expected a value <= " + max + ", but got " + value + " instead."));
        }
        if (below || above) {
            return Optional
                    .of(new Violation(param, ErrorCodes.INVALID_VALUE, "Invalid '" + param + "': integer out of range."));
        }
        return Optional.empty();
    }

    private static boolean hasType(Object value, FieldType type) {
        return switch (type) {
            case STRING -> value instanceof String;
            case INTEGER -> value instanceof Long || value instanceof BigInteger;
            case NUMBER -> value instanceof Number;
            case BOOLEAN -> value instanceof Boolean;
        };
    }

    static String typeName(Object value) {
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof Long || value instanceof BigInteger) {
            return "an integer";
        }
        if (value instanceof Number) {
            return "a decimal number";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        if (value instanceof List) {
            return "an array";
        }
        return value instanceof Map ? "an object" : "an unsupported value";
    }

    /** {@code 'a', 'b', and 'c'}, as OpenAI lists supported values. */
    static String quoted(List<String> values) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                text.append(values.size() > 2 ? ", " : " ");
                if (i == values.size() - 1) {
                    text.append("and ");
                }
            }
            text.append('\'').append(values.get(i)).append('\'');
        }
        return text.toString();
    }
}
