package dev.imagegateway.catalog;

import java.util.List;
import java.util.Optional;

/**
 * One model of the catalog: its names, its rules, where it stands at OpenAI and where it is served.
 *
 * @param id the model's name, as callers send it and {@code /v1/models} lists it
 * @param enabled false when an operator switched the entry off: it is then neither listed nor used
 * @param ownedBy {@code owned_by} in {@code /v1/models}
 * @param created {@code created} in {@code /v1/models}, seconds since the epoch
 * @param snapshots dated names that follow the same rules ({@code gpt-image-2-2026-04-21})
 * @param upstream the named upstream that serves the model; empty for the default upstream
 * @param upstreamModel the name sent upstream instead of the caller's (an alias); empty to send the caller's
 * @param fallbacks named upstreams to try, in order, where a retry is safe
 */
public record ModelEntry(
        String id,
        boolean enabled,
        String ownedBy,
        long created,
        List<String> snapshots,
        Lifecycle lifecycle,
        ModelRules rules,
        Optional<String> upstream,
        Optional<String> upstreamModel,
        List<String> fallbacks) {
}
