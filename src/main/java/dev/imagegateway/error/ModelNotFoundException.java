package dev.imagegateway.error;

/** {@code GET /v1/models/{model}} for a model the catalog does not list: 404, as OpenAI answers it. */
public final class ModelNotFoundException extends GatewayException {

    public ModelNotFoundException(String model) {
        super(404, ErrorTypes.INVALID_REQUEST, "The model '" + model + "' does not exist or you do not have access to it.",
                "model", "model_not_found", null, false);
    }
}
