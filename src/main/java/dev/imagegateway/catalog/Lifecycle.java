package dev.imagegateway.catalog;

import java.time.LocalDate;
import java.util.Optional;

/**
 * Where a model stands at OpenAI. Informational for requests (a shut-down model is still served for as
 * long as the configured upstream serves it) and shown to operators in the docs.
 *
 * @param date when the model reached that status (released, deprecated, shut down)
 */
public record Lifecycle(Status status, Optional<LocalDate> date) {

    /** The model's status at OpenAI. */
    public enum Status {
        ACTIVE,
        DEPRECATED,
        SHUTDOWN
    }

    static final Lifecycle UNSTATED = new Lifecycle(Status.ACTIVE, Optional.empty());
}
