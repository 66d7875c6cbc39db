package dev.imagegateway.upstream;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegateway.config.GatewayConfig;
import dev.imagegateway.config.StartupSecrets;
import dev.imagegateway.error.GatewayException;
import dev.imagegateway.observability.RequestLogFields;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.microprofile.context.ManagedExecutor;

/**
 * Every upstream the gateway may call: the default one ({@code images.upstream.*}) and each named one
 * ({@code images.upstreams.<name>.*}), one connection each, built once at start-up. The REST clients are
 * built here rather than declared with {@code @RegisterRestClient(configKey = …)} because the set of
 * upstreams is the operator's, named at run time, while a config key is fixed when the gateway is built.
 */
@ApplicationScoped
public class Upstreams {

    private final Map<String, UpstreamConnection> connections = new LinkedHashMap<>();
    private final ObjectMapper json;

    Upstreams(GatewayConfig config, StartupSecrets secrets, ObjectMapper mapper, ManagedExecutor calls) {
        this.json = UpstreamJson.readerOf(mapper);
        UpstreamRetry retry = UpstreamRetry.of(config.upstream(), Clock.systemUTC());
        connections.put(StartupSecrets.DEFAULT_UPSTREAM, new UpstreamConnection(StartupSecrets.DEFAULT_UPSTREAM,
                config.upstream().baseUrl(), config.upstream().timeout(), secrets.upstreamApiKey(), retry, json, calls));
        config.upstreams().forEach((name, upstream) -> connections.put(name, new UpstreamConnection(name,
                upstream.baseUrl(), timeoutOf(upstream, config), secrets.upstreamApiKey(name), retry, json, calls)));
    }

    /**
     * The longest any one request's upstream exchange may take: the largest of every upstream's timeout.
     * A request's budget is its first upstream's timeout and its fallbacks run within it, so this bounds
     * what a batch line started now may still spend upstream: how long a cancelled or expired batch waits
     * for lines started just before.
     */
    public static Duration longestTimeout(GatewayConfig config) {
        Duration longest = config.upstream().timeout();
        for (GatewayConfig.NamedUpstream upstream : config.upstreams().values()) {
            Duration timeout = timeoutOf(upstream, config);
            if (timeout.compareTo(longest) > 0) {
                longest = timeout;
            }
        }
        return longest;
    }

    private static Duration timeoutOf(GatewayConfig.NamedUpstream upstream, GatewayConfig config) {
        return upstream.timeout().orElse(config.upstream().timeout());
    }

    /** How long one call to the route's first upstream may take: the request's upstream budget. */
    public Duration timeout(UpstreamRoute route) {
        return connection(route.upstream()).timeout();
    }

    /** The mapper for upstream JSON, which allows the long strings of large images. */
    ObjectMapper json() {
        return json;
    }

    /**
     * Runs one request's whole exchange with the upstream (attempts, fallbacks, reading the answer or
     * the stream) and adds its time to the request line and {@code Server-Timing}: the one place upstream
     * time is measured, for whole and streamed answers alike, failures included.
     */
    <T> T timed(Supplier<T> exchange) {
        long started = System.nanoTime();
        try {
            return exchange.get();
        } finally {
            RequestLogFields.addDuration(RequestLogFields.UPSTREAM_MS, System.nanoTime() - started);
        }
    }

    /**
     * Calls the route's upstreams in order until one answers: the next is tried only when the failure
     * of the one before is safe to send again (nothing was generated), and only within the deadline the
     * call itself keeps. Throws the last failure.
     */
    <T> T inOrder(UpstreamRoute route, Function<UpstreamConnection, T> call) {
        List<String> names = route.inOrder();
        for (int i = 0;; i++) {
            try {
                return call.apply(connection(names.get(i)));
            } catch (GatewayException failure) {
                if (!failure.retrySafe() || i + 1 >= names.size()) {
                    throw failure;
                }
                Log.infof("Upstream %s failed (%s); falling back to %s", names.get(i), failure.code(), names.get(i + 1));
            }
        }
    }

    private UpstreamConnection connection(String name) {
        UpstreamConnection connection = connections.get(name);
        if (connection == null) {
            // The catalog is checked against the configured upstreams at start-up; this is a bug if reached.
            throw new IllegalStateException("no upstream named " + name);
        }
        return connection;
    }
}
