package dev.imagegateway.upstream;

import dev.imagegateway.config.StartupSecrets;
import java.util.List;

/**
 * Which upstreams one request may go to, in order: the model's own (or the default one), then its
 * fallbacks, each tried only after the one before failed in a way that is safe to send again.
 *
 * @param upstream the upstream's name, {@link StartupSecrets#DEFAULT_UPSTREAM} for {@code images.upstream}
 * @param fallbacks further upstream names, in order
 */
public record UpstreamRoute(String upstream, List<String> fallbacks) {

    public UpstreamRoute {
        fallbacks = List.copyOf(fallbacks);
    }

    /** Every upstream of the route, the first one first. */
    List<String> inOrder() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(upstream), fallbacks.stream()).toList();
    }
}
