package dev.imagegateway.catalog;

import java.util.Map;
import java.util.Optional;

/**
 * The request rules a model follows: everything the rule engine needs to accept or refuse a request.
 *
 * @param promptMaxLength the longest prompt, in characters (code points)
 * @param nMax the most images one request may ask for
 * @param fields the optional fields the model takes, by request name, with their rules; a field that
 *        exists in the API but is not here is refused as {@code unknown_parameter}
 * @param defaultResponseFormat {@code url} or {@code b64_json}, when the caller names none
 * @param upstreamResponseFormat the {@code response_format} the gateway sends upstream; empty to send none
 *        (GPT image models refuse the parameter)
 * @param refusalType the error type of a size the model cannot draw ({@code image_generation_user_error}
 *        for GPT image models, as OpenAI answers)
 * @param edits what the model takes as input to an edit; empty for a model that does not edit
 */
public record ModelRules(
        int promptMaxLength,
        int nMax,
        Map<String, FieldRule> fields,
        String defaultResponseFormat,
        Optional<String> upstreamResponseFormat,
        String refusalType,
        Optional<EditLimits> edits) {

    /** The rule of {@code field}, if the model takes it. */
    public Optional<FieldRule> field(String field) {
        return Optional.ofNullable(fields.get(field));
    }
}
