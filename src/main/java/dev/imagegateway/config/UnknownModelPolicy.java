package dev.imagegateway.config;

/** What the gateway does with a request for a model that is not in the catalog. */
public enum UnknownModelPolicy {
    /** Check it with the catalog's {@code unknown_models} rules and let the upstream decide the rest. */
    PASS_THROUGH,
    /** Refuse it as OpenAI refuses a model it does not have. */
    REFUSE
}
