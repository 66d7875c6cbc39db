package dev.imagegateway.catalog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The models the gateway knows, read once at start-up (see {@link CatalogReader}); immutable. Only
 * enabled entries are found or listed: a switched-off entry is as if it were not in the catalog.
 */
public final class ModelCatalog {

    private final List<ModelEntry> enabled;
    private final Map<String, ModelEntry> byName;
    private final ModelRules unknownModels;
    private final String defaultModel;
    private final String defaultModelWithGptImageFields;
    private final String defaultEditModel;

    ModelCatalog(List<ModelEntry> entries, ModelRules unknownModels, String defaultModel,
            String defaultModelWithGptImageFields, String defaultEditModel) {
        List<ModelEntry> on = new ArrayList<>();
        Map<String, ModelEntry> names = new LinkedHashMap<>();
        for (ModelEntry entry : entries) {
            if (entry.enabled()) {
                on.add(entry);
                names.put(entry.id(), entry);
                entry.snapshots().forEach(snapshot -> names.put(snapshot, entry));
            }
        }
        this.enabled = Collections.unmodifiableList(on);
        this.byName = Collections.unmodifiableMap(names);
        this.unknownModels = unknownModels;
        this.defaultModel = defaultModel;
        this.defaultModelWithGptImageFields = defaultModelWithGptImageFields;
        this.defaultEditModel = defaultEditModel;
    }

    /** The built-in catalog alone, as shipped in the artifact. */
    public static ModelCatalog builtIn() {
        return CatalogReader.read(CatalogReader.builtInDocument(), Optional.empty());
    }

    /** The enabled entry named {@code name}, by its id or one of its snapshots. */
    public Optional<ModelEntry> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The enabled entries, in catalog order. */
    public List<ModelEntry> entries() {
        return enabled;
    }

    /** The rules for a model not in the catalog, when such models are passed through. */
    public ModelRules unknownModels() {
        return unknownModels;
    }

    /** The model of a request that names none, when no default is configured. */
    public String defaultModel() {
        return defaultModel;
    }

    /** The model of a request that names none but carries a field only GPT image models take. */
    public String defaultModelWithGptImageFields() {
        return defaultModelWithGptImageFields;
    }

    /** The model of an edit that names none, when no default is configured: OpenAI's own default for edits. */
    public String defaultEditModel() {
        return defaultEditModel;
    }
}
