package dev.imagegateway.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmbeddedMetricsTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void successfulRequest_isOneEmfDocument_withEveryDeclaredMetricPresent() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EmbeddedMetrics metrics = new EmbeddedMetrics(json, new PrintStream(out, true, StandardCharsets.UTF_8));

        metrics.emit(Map.of("requestId", "r-1", "status", "200", "model", "dall-e-3", "upstreamMs", "812",
                "totalMs", "840", "imagesStored", "1", "bytesStored", "123456"), 1_795_656_853_191L);

        String line = out.toString(StandardCharsets.UTF_8);
        assertThat(line.lines()).hasSize(1);
        JsonNode doc = json.readTree(line);
        JsonNode directive = doc.at("/_aws/CloudWatchMetrics/0");
        assertThat(doc.at("/_aws/Timestamp").asLong()).isEqualTo(1_795_656_853_191L);
        assertThat(directive.get("Namespace").asText()).isEqualTo("ImageGateway");
        assertThat(directive.get("Dimensions").toString()).isEqualTo("[[\"Service\"],[\"Service\",\"Outcome\"]]");
        for (JsonNode metric : directive.get("Metrics")) {
            assertThat(doc.has(metric.get("Name").asText())).as(metric.toString()).isTrue();
        }
        assertThat(doc.get("Outcome").asText()).isEqualTo("ok");
        assertThat(doc.get("Errors").asLong()).isZero();
        assertThat(doc.get("UpstreamLatency").asLong()).isEqualTo(812);
        assertThat(doc.get("BytesStored").asLong()).isEqualTo(123456);
        assertThat(doc.get("requestId").asText()).isEqualTo("r-1");
    }

    @Test
    void failedRequest_countsAnError_underItsOutcome() throws Exception {
        JsonNode doc = json.readTree(new EmbeddedMetrics(json, System.out).format(
                Map.of("status", "504", "outcome", "upstream_timeout", "totalMs", "30000"), 0));
        assertThat(doc.get("Outcome").asText()).isEqualTo("upstream_timeout");
        assertThat(doc.get("Errors").asLong()).isEqualTo(1);
        assertThat(doc.get("ImagesStored").asLong()).isZero();
        assertThat(doc.has("UpstreamLatency")).isFalse();
    }
}
