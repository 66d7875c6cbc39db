package dev.imagegateway.catalog;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What one request field may hold for one model. An absent part places no limit: a rule with no
 * {@code values} accepts any string, one with no {@code min} any integer from below.
 *
 * @param type the JSON type the field must have
 * @param values the accepted strings, if the catalog lists them
 * @param min the smallest accepted integer
 * @param max the largest accepted integer
 * @param freeSizes for {@code size}: the arithmetic a {@code WIDTHxHEIGHT} outside {@code values} must satisfy
 * @param autoSize for {@code size}: what {@code auto} (or no size) means for a model that has no {@code auto}
 */
public record FieldRule(
        FieldType type,
        Optional<List<String>> values,
        OptionalLong min,
        OptionalLong max,
        Optional<FreeSizes> freeSizes,
        Optional<String> autoSize) {

    /** JSON types a field can be declared with. */
    public enum FieldType {
        STRING("a string"),
        INTEGER("an integer"),
        NUMBER("a number"),
        BOOLEAN("a boolean");

        private final String description;

        FieldType(String description) {
            this.description = description;
        }

        /** The type as an error message names it: "a string". */
        public String description() {
            return description;
        }
    }
}
