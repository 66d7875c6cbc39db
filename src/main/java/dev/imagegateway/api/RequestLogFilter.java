package dev.imagegateway.api;

import dev.imagegateway.config.GatewayConfig;
import dev.imagegateway.lambda.HandlerPriming;
import dev.imagegateway.observability.EmbeddedMetrics;
import dev.imagegateway.observability.RequestLogFields;
import io.quarkus.logging.Log;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Frames every request: gives it its id (header, logging context), and when it ends writes the one
 * request line and its metrics record. Errors included: the error mapper runs before this filter.
 */
public class RequestLogFilter {

    static final String HEADER = "x-request-id";
    private static final String STARTED = RequestLogFilter.class.getName() + ".started";

    private final RequestId requestId;
    private final EmbeddedMetrics metrics;
    private final boolean metricsEnabled;

    public RequestLogFilter(RequestId requestId, EmbeddedMetrics metrics, GatewayConfig config) {
        this.requestId = requestId;
        this.metrics = metrics;
        this.metricsEnabled = config.metrics().enabled();
    }

    @ServerRequestFilter(preMatching = true)
    public void enter(ContainerRequestContext request) {
        RequestLogFields.begin(requestId.value());
        request.setProperty(STARTED, System.nanoTime());
    }

    @ServerResponseFilter
    public void leave(ContainerRequestContext request, ContainerResponseContext response) {
        response.getHeaders().putSingle(HEADER, requestId.value());
        RequestLogFields.put(RequestLogFields.STATUS, response.getStatus());
        if (request.getProperty(STARTED) instanceof Long started) {
            long total = System.nanoTime() - started;
            RequestLogFields.put(RequestLogFields.TOTAL_MS, total / 1_000_000);
            response.getHeaders().putSingle("Server-Timing", serverTiming(total));
        }
        Map<String, String> fields = RequestLogFields.snapshot();
        if (HandlerPriming.running()) {
            // The snapshot's own 401, before any caller: neither a request line nor a metric of one.
            RequestLogFields.end();
            return;
        }
        Log.infof("%s %s %s", request.getMethod(), request.getUriInfo().getPath(), describe(fields));
        if (metricsEnabled) {
            metrics.emit(fields, System.currentTimeMillis());
        }
        RequestLogFields.end();
    }

    /**
     * Where the time went, for callers and benchmarks (W3C Server-Timing): the upstream call (including
     * reading and decoding its answer), S3 uploads, and the gateway's own share of the rest.
     */
    private static String serverTiming(long totalNanos) {
        long upstream = RequestLogFields.nanos(RequestLogFields.UPSTREAM_MS);
        long storage = RequestLogFields.nanos(RequestLogFields.UPLOAD_MS);
        return String.format(java.util.Locale.ROOT, "upstream;dur=%.3f, storage;dur=%.3f, total;dur=%.3f",
                upstream / 1e6, storage / 1e6, totalNanos / 1e6);
    }

    /** The plain-text form of the fields; in JSON logs they are also separate fields (from the MDC). */
    private static String describe(Map<String, String> fields) {
        return fields.entrySet().stream()
                .filter(field -> !field.getKey().equals(RequestLogFields.REQUEST_ID))
                .map(field -> field.getKey() + "=" + field.getValue())
                .collect(Collectors.joining(" "));
    }
}
