package dev.imagegateway.generation;

import dev.imagegateway.catalog.ApiFields;
import dev.imagegateway.catalog.FieldRule;
import dev.imagegateway.catalog.ModelCatalog;
import dev.imagegateway.catalog.ModelEntry;
import dev.imagegateway.catalog.ModelRules;
import dev.imagegateway.config.GatewayConfig;
import dev.imagegateway.config.UnknownModelPolicy;
import dev.imagegateway.error.ErrorCodes;
import dev.imagegateway.error.ErrorTypes;
import dev.imagegateway.image.ImageType;
import dev.imagegateway.wire.ImageRequest;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one rule engine of the request rules in docs/api.md. It knows no model: every per-model rule comes
 * from the {@link ModelCatalog}; what is here holds for every model (prompt, {@code n}, the codes and
 * wording OpenAI answers with, the rules that tie two fields together). {@link #check} finds all
 * violations, in the order docs/api.md lists the fields; {@link #plan} reports the first one or
 * resolves the defaults.
 */
@Singleton
public class RequestRules {

    private static final List<String> RESPONSE_FORMATS = List.of("url", "b64_json");
    /** Formats with an alpha channel; a transparent background needs one of them. */
    private static final Set<String> TRANSPARENT_FORMATS = Set.of("png", "webp");

    private final ModelCatalog catalog;
    private final UnknownModelPolicy unknownModels;
    private final Optional<String> defaultModel;

    @Inject
    public RequestRules(ModelCatalog catalog, GatewayConfig config) {
        this(catalog, config.models().unknown(), config.models().defaultModel());
    }

    public RequestRules(ModelCatalog catalog, UnknownModelPolicy unknownModels, Optional<String> defaultModel) {
        this.catalog = catalog;
        this.unknownModels = unknownModels;
        this.defaultModel = defaultModel;
    }

    /** The model a request is checked against: its name, its entry if catalogued, and the rules it follows. */
    record Target(String name, Optional<ModelEntry> entry, ModelRules rules) {
    }

    /** The validated request with defaults resolved, or the first violation as an exception. */
    public GenerationPlan plan(ImageRequest request) {
        Target target = target(request, false);
        List<Violation> violations = check(request, target, false);
        if (!violations.isEmpty()) {
            throw violations.get(0).toException();
        }
        return resolved(request, target);
    }

    /** The request with its defaults resolved, once it has been checked against {@code target}. */
    GenerationPlan resolved(ImageRequest request, Target target) {
        ModelRules rules = target.rules();
        String size = request.size();
        Optional<String> autoSize = rules.field("size").flatMap(FieldRule::autoSize);
        if (autoSize.isPresent() && (size == null || size.equals("auto"))) {
            size = autoSize.get();
        }
        ImageType expectedType = rules.field("output_format").isPresent()
                ? ImageType.ofOutputFormat(request.outputFormat() != null ? request.outputFormat() : "png")
                : ImageType.PNG;
        ResponseFormat responseFormat = ResponseFormat.of(request.responseFormat() != null ? request.responseFormat()
                : rules.defaultResponseFormat());
        Optional<ModelEntry> entry = target.entry();
        return new GenerationPlan(target.name(), entry.flatMap(ModelEntry::upstreamModel).orElse(target.name()),
                entry.flatMap(ModelEntry::upstream), entry.map(ModelEntry::fallbacks).orElse(List.of()),
                entry.isPresent(), request.prompt(), request.n() == null ? 1 : request.n().intValue(), size,
                request.quality(), request.style(), request.outputFormat(),
                request.outputCompression() == null ? null : request.outputCompression().intValue(),
                request.moderation(), request.background(), request.user(), responseFormat,
                rules.upstreamResponseFormat(), expectedType, Boolean.TRUE.equals(request.stream()),
                request.partialImages() == null ? null : request.partialImages().intValue(), givenExtras(request),
                Optional.empty());
    }

    /** Every rule the request breaks, in the order docs/api.md lists the fields. */
    public List<Violation> check(ImageRequest request) {
        return check(request, target(request, false), false);
    }

    /**
     * The model the request names, else the configured default, else the catalog's: for a generation the
     * seed's rule, for an edit OpenAI's default edit model.
     */
    Target target(ImageRequest request, boolean edit) {
        String name = request.model() != null ? request.model()
                : defaultModel.orElseGet(() -> edit ? catalog.defaultEditModel()
                        : request.hasGptImageOnlyField() ? catalog.defaultModelWithGptImageFields()
                                : catalog.defaultModel());
        Optional<ModelEntry> entry = catalog.find(name);
        return new Target(name, entry, entry.map(ModelEntry::rules).orElse(catalog.unknownModels()));
    }

    /** Every rule of the fields the request breaks; {@code edit} lets in the fields only edits take. */
    List<Violation> check(ImageRequest request, Target target, boolean edit) {
        List<Violation> violations = new ArrayList<>();
        ModelRules rules = target.rules();
        checkPrompt(request.prompt(), rules.promptMaxLength(), violations);
        if (target.name().isEmpty()) {
            violations.add(new Violation("model", ErrorCodes.EMPTY_STRING, "Invalid 'model': empty string. Expected a string"
                    + " with minimum length 1, but got an empty string instead."));
            return violations;
        }
        if (target.entry().isEmpty() && unknownModels == UnknownModelPolicy.REFUSE) {
            violations.add(new Violation(ErrorTypes.IMAGE_GENERATION_USER_ERROR, "model", ErrorCodes.INVALID_VALUE,
                    "The model '" + target.name() + "' does not exist."));
            return violations;
        }
        if (request.n() != null) {
            FieldChecks.range("n", request.n(), 1L, (long) rules.nMax()).ifPresent(violations::add);
        }
        for (Map.Entry<String, Object> field : optionalFields(request).entrySet()) {
            checkField(field.getKey(), field.getValue(), rules, violations);
        }
        checkCombinations(request, violations);
        for (Map.Entry<String, Object> extra : request.extra().entrySet()) {
            Optional<FieldRule> rule = rules.field(extra.getKey());
            if (rule.isEmpty() || (!edit && ApiFields.EDIT_ONLY.containsKey(extra.getKey()))) {
                violations.add(FieldChecks.unknownParameter(extra.getKey()));
            } else if (extra.getValue() != null) {
                FieldChecks.check(extra.getKey(), extra.getValue(), rule.get()).ifPresent(violations::add);
            }
        }
        return violations;
    }

    private static void checkField(String param, Object value, ModelRules rules, List<Violation> violations) {
        if (param.equals("response_format")) {
            // Every model takes it: for GPT image models it is the gateway's own (links), never sent upstream.
            if (!RESPONSE_FORMATS.contains(value)) {
                violations.add(new Violation(param, ErrorCodes.INVALID_VALUE, "Invalid value: '" + value
                        + "'. Supported values are: " + FieldChecks.quoted(RESPONSE_FORMATS) + "."));
            }
            return;
        }
        Optional<FieldRule> rule = rules.field(param);
        if (rule.isEmpty()) {
            // A field of the API that this model does not take: OpenAI answers it as an unknown one.
            violations.add(FieldChecks.unknownParameter(param));
        } else if (param.equals("size")) {
            SizeRules.problem((String) value, rule.get()).ifPresent(problem -> violations.add(
                    new Violation(rules.refusalType(), param, ErrorCodes.INVALID_VALUE, problem)));
        } else {
            FieldChecks.check(param, value, rule.get()).ifPresent(violations::add);
        }
    }

    /** Rules that tie two fields together, the same for every model. */
    private static void checkCombinations(ImageRequest request, List<Violation> violations) {
        Long compression = request.outputCompression();
        if ("png".equals(request.outputFormat()) && compression != null && compression < 100 && compression >= 0) {
            violations
                    .add(new Violation(ErrorTypes.IMAGE_GENERATION_USER_ERROR, "output_compression", ErrorCodes.PNG_COMPRESSION,
                            "Invalid 'output_compression': PNG output supports only an output_compression of 100, but got "
                                    + compression + " instead. Use output_format 'jpeg' or 'webp' to compress."));
        }
        if ("transparent".equals(request.background()) && request.outputFormat() != null
                && !TRANSPARENT_FORMATS.contains(request.outputFormat())) {
            violations.add(new Violation("background", ErrorCodes.INVALID_VALUE, "Invalid 'background': a transparent"
                    + " background needs output_format 'png' or 'webp', but got '" + request.outputFormat() + "'."));
        }
    }

    private static void checkPrompt(String prompt, int maxLength, List<Violation> violations) {
        if (prompt == null) {
            violations.add(new Violation("prompt", ErrorCodes.MISSING, "Missing required parameter: 'prompt'."));
        } else if (prompt.isEmpty()) {
            // Only the empty string: OpenAI accepts a prompt of whitespace, and so do we.
            violations.add(new Violation("prompt", ErrorCodes.EMPTY_STRING, "Invalid 'prompt': empty string. Expected a string"
                    + " with minimum length 1, but got an empty string instead."));
        } else {
            int length = prompt.codePointCount(0, prompt.length());
            if (length > maxLength) {
                violations.add(new Violation("prompt", ErrorCodes.TOO_LONG, "Invalid 'prompt': string too long. Expected a"
                        + " string with maximum length " + maxLength + ", but got a string with length " + length
                        + " instead."));
            }
        }
    }

    /** The extra fields to send upstream: those the caller gave a value (null means the upstream's default). */
    private static Map<String, Object> givenExtras(ImageRequest request) {
        Map<String, Object> given = new LinkedHashMap<>(request.extra());
        given.values().removeIf(java.util.Objects::isNull);
        return java.util.Collections.unmodifiableMap(given);
    }

    /** The optional fields the caller gave, in docs/api.md's order ({@code response_format} among them). */
    private static Map<String, Object> optionalFields(ImageRequest request) {
        Map<String, Object> given = new LinkedHashMap<>();
        given.put("quality", request.quality());
        given.put("response_format", request.responseFormat());
        given.put("output_format", request.outputFormat());
        given.put("output_compression", request.outputCompression());
        given.put("stream", request.stream());
        given.put("partial_images", request.partialImages());
        given.put("size", request.size());
        given.put("moderation", request.moderation());
        given.put("background", request.background());
        given.put("style", request.style());
        given.values().removeIf(java.util.Objects::isNull);
        return given;
    }
}
