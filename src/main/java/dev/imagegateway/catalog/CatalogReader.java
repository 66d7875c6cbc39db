package dev.imagegateway.catalog;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns catalog documents into a {@link ModelCatalog}: the operator's document merged over the built-in
 * one, {@code like} resolved, every entry checked. Anything wrong fails with a sentence naming the
 * document, the entry and the field, so that a typo stops the function at start-up rather than
 * changing what the gateway accepts.
 *
 * <p>
 * Merging: an operator entry with a new id is a new model. One with a built-in id changes that entry
 * field by field ({@code fields} field rule by field rule, {@code null} removing one); with {@code like}
 * it drops the built-in rules and takes those of the entry it names instead.
 */
public final class CatalogReader {

    /** Where the built-in catalog lives on the class path. */
    public static final String BUILT_IN_RESOURCE = "/models/catalog.json";

    /** Entry keys that {@code like} copies: the rules, never the identity of the entry named. */
    static final Set<String> RULE_KEYS = Set.of("prompt_max_length", "n_max", "fields", "default_response_format",
            "upstream_response_format", "refusal_type", "edits");

    private static final Set<String> TOP_LEVEL_KEYS = Set.of("models", "unknown_models", "default_model",
            "default_model_with_gpt_image_fields", "default_edit_model");
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private CatalogReader() {
    }

    /** A catalog document: where it came from (for messages) and its JSON. */
    public record Document(String source, ObjectNode json) {
    }

    /** The built-in catalog document from the class path. */
    public static Document builtInDocument() {
        try (InputStream in = CatalogReader.class.getResourceAsStream(BUILT_IN_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("The built-in model catalog " + BUILT_IN_RESOURCE + " is missing.");
            }
            return parse("built-in catalog", in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses one document; malformed JSON or a non-object fails with a sentence naming the source. */
    public static Document parse(String source, byte[] bytes) {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("Model catalog " + source + " is not valid JSON: "
                    + e.getOriginalMessage() + " (line " + (e.getLocation() == null ? "?" : e.getLocation().getLineNr())
                    + ").");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalStateException("Model catalog " + source + " must be a JSON object with \"models\".");
        }
        for (var names = root.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!TOP_LEVEL_KEYS.contains(name)) {
                throw new IllegalStateException("Model catalog " + source + ": unknown top-level field '" + name
                        + "' (known: " + String.join(", ", TOP_LEVEL_KEYS) + ").");
            }
        }
        if (root.has("models") && !root.get("models").isObject()) {
            throw new IllegalStateException("Model catalog " + source + ": field 'models' must be an object of"
                    + " entries by model name.");
        }
        return new Document(source, (ObjectNode) root);
    }

    /** The catalog of {@code builtIn} with {@code operator}, if given, merged over it. */
    public static ModelCatalog read(Document builtIn, Optional<Document> operator) {
        Map<String, ObjectNode> entries = new LinkedHashMap<>();
        Map<String, String> sources = new HashMap<>();
        collect(builtIn, entries, sources);
        ObjectNode top = builtIn.json().deepCopy();
        if (operator.isPresent()) {
            mergeOperator(operator.get(), entries, sources);
            operator.get().json().properties().forEach(property -> {
                if (!property.getKey().equals("models") && !property.getKey().equals("unknown_models")) {
                    top.set(property.getKey(), property.getValue());
                }
            });
            JsonNode unknown = operator.get().json().get("unknown_models");
            if (unknown != null && !unknown.isObject()) {
                // Overlaying a string or a number would change nothing and pass silently.
                throw new EntryProblems(operator.get().source(), "unknown_models").problem("unknown_models",
                        "expected an object of rules, got " + unknown);
            }
            if (unknown != null) {
                top.set("unknown_models", withoutRemovedFields(overlay((ObjectNode) top.path("unknown_models")
                        .deepCopy(), unknown, new EntryProblems(operator.get().source(), "unknown_models"))));
            }
        }
        Map<String, ObjectNode> resolved = new LinkedHashMap<>();
        for (String id : entries.keySet()) {
            resolve(id, entries, sources, resolved, new ArrayList<>());
        }
        List<ModelEntry> models = new ArrayList<>();
        resolved.forEach((id, node) -> models.add(EntryReader.entry(id, node, new EntryProblems(sources.get(id), id))));
        checkNamesAreUnique(models, sources);

        String unknownSource = operator.filter(doc -> doc.json().has("unknown_models")).map(Document::source)
                .orElse(builtIn.source());
        JsonNode unknownNode = top.get("unknown_models");
        EntryProblems unknownProblems = new EntryProblems(unknownSource, "unknown_models");
        if (unknownNode == null || !unknownNode.isObject()) {
            throw unknownProblems.problem("rules", "the catalog must give the rules for unknown models");
        }
        ModelRules unknownModels = EntryReader.unknownModelRules((ObjectNode) unknownNode, unknownProblems);
        return new ModelCatalog(models, unknownModels, text(top, "default_model", builtIn, operator),
                text(top, "default_model_with_gpt_image_fields", builtIn, operator),
                text(top, "default_edit_model", builtIn, operator));
    }

    private static void collect(Document document, Map<String, ObjectNode> entries, Map<String, String> sources) {
        JsonNode models = document.json().path("models");
        models.properties().forEach(property -> {
            EntryProblems problems = new EntryProblems(document.source(), property.getKey());
            entries.put(property.getKey(), asEntry(property.getValue(), problems));
            sources.put(property.getKey(), document.source());
        });
    }

    private static void mergeOperator(Document operator, Map<String, ObjectNode> entries, Map<String, String> sources) {
        operator.json().path("models").properties().forEach(property -> {
            String id = property.getKey();
            EntryProblems problems = new EntryProblems(operator.source(), id);
            ObjectNode given = asEntry(property.getValue(), problems);
            ObjectNode base = entries.containsKey(id) ? entries.get(id).deepCopy() : JsonNodeFactory.instance.objectNode();
            if (given.has("like")) {
                // "like" replaces the rules the entry had with those of the entry it names.
                RULE_KEYS.forEach(base::remove);
            }
            entries.put(id, overlay(base, given, problems));
            sources.put(id, operator.source());
        });
    }

    /** {@code given} over {@code base}; {@code fields} merged rule by rule (see {@link #withoutRemovedFields}). */
    private static ObjectNode overlay(ObjectNode base, JsonNode given, EntryProblems problems) {
        given.properties().forEach(property -> {
            if (property.getKey().equals("fields") && base.path("fields").isObject()) {
                if (!property.getValue().isObject()) {
                    throw problems.problem("fields", "expected an object of field rules by field name");
                }
                ObjectNode fields = (ObjectNode) base.get("fields");
                // A null rule is kept until "like" is resolved, so that it also removes an inherited rule.
                property.getValue().properties().forEach(field -> fields.set(field.getKey(), field.getValue()));
            } else {
                base.set(property.getKey(), property.getValue());
            }
        });
        return base;
    }

    /** The entry {@code id} with its {@code like} chain resolved, memoised in {@code resolved}. */
    private static ObjectNode resolve(String id, Map<String, ObjectNode> entries, Map<String, String> sources,
            Map<String, ObjectNode> resolved, List<String> chain) {
        if (resolved.containsKey(id)) {
            return resolved.get(id);
        }
        EntryProblems problems = new EntryProblems(sources.get(id), id);
        ObjectNode entry = entries.get(id);
        JsonNode like = entry.get("like");
        ObjectNode result;
        if (like == null) {
            result = entry.deepCopy();
        } else {
            if (!like.isTextual()) {
                throw problems.problem("like", "expected the name of another entry");
            }
            String template = like.textValue();
            if (!entries.containsKey(template)) {
                throw problems.problem("like", "there is no entry '" + template + "' in the catalog");
            }
            if (chain.contains(template) || template.equals(id)) {
                throw problems.problem("like", "entries name each other in a circle (" + String.join(" -> ", chain)
                        + " -> " + id + " -> " + template + ")");
            }
            chain.add(id);
            ObjectNode base = JsonNodeFactory.instance.objectNode();
            ObjectNode templateNode = resolve(template, entries, sources, resolved, chain);
            RULE_KEYS.forEach(key -> {
                if (templateNode.has(key)) {
                    base.set(key, templateNode.get(key).deepCopy());
                }
            });
            ObjectNode own = entry.deepCopy();
            own.remove("like");
            result = overlay(base, own, problems);
        }
        resolved.put(id, withoutRemovedFields(result));
        return result;
    }

    /** The entry without the field rules set to null: that is how an operator removes one. */
    private static ObjectNode withoutRemovedFields(ObjectNode entry) {
        JsonNode fields = entry.get("fields");
        if (fields instanceof ObjectNode object) {
            object.properties().removeIf(field -> field.getValue().isNull());
        }
        return entry;
    }

    private static ObjectNode asEntry(JsonNode node, EntryProblems problems) {
        if (node == null || !node.isObject()) {
            throw problems.problem("(entry)", "expected an object");
        }
        return (ObjectNode) node;
    }

    private static void checkNamesAreUnique(List<ModelEntry> models, Map<String, String> sources) {
        Map<String, String> owner = new HashMap<>();
        for (ModelEntry model : models) {
            if (model.enabled()) {
                owner.put(model.id(), model.id());
            }
        }
        for (ModelEntry model : models) {
            if (!model.enabled()) {
                continue;
            }
            Set<String> seen = new HashSet<>();
            for (String snapshot : model.snapshots()) {
                String previous = owner.putIfAbsent(snapshot, model.id());
                if ((previous != null && !previous.equals(model.id())) || !seen.add(snapshot)) {
                    throw new EntryProblems(sources.get(model.id()), model.id()).problem("snapshots",
                            "the name '" + snapshot + "' already belongs to entry '" + previous + "'");
                }
            }
        }
    }

    private static String text(ObjectNode top, String key, Document builtIn, Optional<Document> operator) {
        JsonNode node = top.get(key);
        if (node == null || !node.isTextual() || node.textValue().isBlank()) {
            String source = operator.filter(doc -> doc.json().has(key)).map(Document::source).orElse(builtIn.source());
            throw new IllegalStateException("Model catalog " + source + ": field '" + key
                    + "' must name a model.");
        }
        return node.textValue();
    }
}
