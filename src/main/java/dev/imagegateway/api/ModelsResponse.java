package dev.imagegateway.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.imagegateway.catalog.ModelEntry;
import java.util.ArrayList;
import java.util.List;

/** OpenAI's model list, {@code {"object":"list","data":[…]}}, as {@code GET /v1/models} answers it. */
public record ModelsResponse(
        @JsonProperty("object") String object,
        @JsonProperty("data") List<Model> data) {

    /** One model, as {@code GET /v1/models/{model}} answers it and the list carries it. */
    public record Model(
            @JsonProperty("id") String id,
            @JsonProperty("object") String object,
            @JsonProperty("created") long created,
            @JsonProperty("owned_by") String ownedBy) {

        static Model of(String id, ModelEntry entry) {
            return new Model(id, "model", entry.created(), entry.ownedBy());
        }
    }

    /** The entries and, after each, its dated snapshots, which OpenAI lists as models of their own. */
    static ModelsResponse of(List<ModelEntry> entries) {
        List<Model> models = new ArrayList<>();
        for (ModelEntry entry : entries) {
            models.add(Model.of(entry.id(), entry));
            entry.snapshots().forEach(snapshot -> models.add(Model.of(snapshot, entry)));
        }
        return new ModelsResponse("list", models);
    }
}
