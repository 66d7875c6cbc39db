package dev.imagegateway.api;

import dev.imagegateway.catalog.ModelCatalog;
import dev.imagegateway.error.ModelNotFoundException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /v1/models} and {@code GET /v1/models/{model}}: the catalog's enabled entries in OpenAI's
 * shapes, behind the same gateway key as every route, so that SDKs and tools that list models first
 * find the ones this gateway serves.
 */
@Path("/v1/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelsResource {

    private final GatewayKeys keys;
    private final ModelCatalog catalog;

    public ModelsResource(GatewayKeys keys, ModelCatalog catalog) {
        this.keys = keys;
        this.catalog = catalog;
    }

    @GET
    public ModelsResponse list(@HeaderParam("Authorization") String authorization) {
        keys.authenticate(authorization);
        return ModelsResponse.of(catalog.entries());
    }

    @GET
    @Path("/{model}")
    public ModelsResponse.Model retrieve(@HeaderParam("Authorization") String authorization,
            @PathParam("model") String model) {
        keys.authenticate(authorization);
        return catalog.find(model).map(entry -> ModelsResponse.Model.of(model, entry))
                .orElseThrow(() -> new ModelNotFoundException(model));
    }
}
