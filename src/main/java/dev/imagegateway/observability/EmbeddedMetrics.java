package dev.imagegateway.observability;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.PrintStream;
import java.util.Map;

/**
 * Metrics as CloudWatch Embedded Metric Format: one JSON line per request on standard output, which
 * Lambda ships to CloudWatch Logs and CloudWatch turns into metrics — no extra AWS call, no SDK. The
 * line is written directly, not through the logger, because CloudWatch only reads EMF from a log event
 * that is the EMF document itself.
 */
@ApplicationScoped
public class EmbeddedMetrics {

    static final String NAMESPACE = "ImageGateway";
    static final String SERVICE = "image-gateway";

    private final ObjectMapper mapper;
    private final PrintStream out;

    @Inject
    public EmbeddedMetrics(ObjectMapper mapper) {
        this(mapper, System.out);
    }

    EmbeddedMetrics(ObjectMapper mapper, PrintStream out) {
        this.mapper = mapper;
        this.out = out;
    }

    /** Writes the metrics of one finished request, given its log fields. */
    public void emit(Map<String, String> fields, long timestampMillis) {
        out.println(format(fields, timestampMillis));
    }

    String format(Map<String, String> fields, long timestampMillis) {
        ObjectNode root = mapper.createObjectNode();
        ObjectNode aws = root.putObject("_aws");
        aws.put("Timestamp", timestampMillis);
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", NAMESPACE);
        ArrayNode dimensions = directive.putArray("Dimensions");
        dimensions.addArray().add("Service");
        dimensions.addArray().add("Service").add("Outcome");
        ArrayNode metrics = directive.putArray("Metrics");
        String outcome = fields.getOrDefault(RequestLogFields.OUTCOME, "ok");
        root.put("Service", SERVICE);
        root.put("Outcome", outcome);
        metric(root, metrics, "Requests", "Count", 1);
        metric(root, metrics, "Errors", "Count", outcome.equals("ok") ? 0 : 1);
        number(fields, RequestLogFields.UPSTREAM_MS)
                .ifPresent(v -> metric(root, metrics, "UpstreamLatency", "Milliseconds", v));
        number(fields, RequestLogFields.TOTAL_MS).ifPresent(v -> metric(root, metrics, "TotalLatency", "Milliseconds", v));
        metric(root, metrics, "ImagesStored", "Count", number(fields, RequestLogFields.IMAGES_STORED).orElse(0L));
        metric(root, metrics, "BytesStored", "Bytes", number(fields, RequestLogFields.BYTES_STORED).orElse(0L));
        // Searchable properties, not dimensions: a dimension per request id would be a metric per request.
        putIfPresent(root, fields, RequestLogFields.REQUEST_ID);
        putIfPresent(root, fields, RequestLogFields.MODEL);
        putIfPresent(root, fields, RequestLogFields.STATUS);
        return root.toString();
    }

    private static void metric(ObjectNode root, ArrayNode metrics, String name, String unit, long value) {
        metrics.addObject().put("Name", name).put("Unit", unit);
        root.put(name, value);
    }

    private static java.util.Optional<Long> number(Map<String, String> fields, String key) {
        try {
            return java.util.Optional.ofNullable(fields.get(key)).map(Long::parseLong);
        } catch (NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    private static void putIfPresent(ObjectNode root, Map<String, String> fields, String key) {
        String value = fields.get(key);
        if (value != null) {
            root.put(key, value);
        }
    }
}
