package dev.imagegateway.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagegateway.testsupport.Gateway;
import dev.imagegateway.testsupport.InvocationContext;
import dev.imagegateway.testsupport.S3TestServer;
import dev.imagegateway.testsupport.S3TestServer.InjectS3;
import dev.imagegateway.testsupport.TestImages;
import io.quarkus.amazon.lambda.http.LambdaHttpHandler;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

/**
 * Gateway overhead per request: each request is an API Gateway HTTP API event handed to Quarkus's
 * Lambda HTTP handler in this JVM, exactly as the Lambda runtime hands it over, timed around
 * {@code handleRequest}. Overhead = that time − the upstream's own time (measured inside
 * {@link InstantUpstream}) − the time S3 took to store the objects ({@code Server-Timing: storage}).
 * The upstream answers at once with pre-rendered 1024x1024 PNGs; S3 is S3Proxy in this JVM.
 */
@QuarkusTest
@WithTestResource(S3TestServer.class)
@WithTestResource(InstantUpstream.Resource.class)
class GatewayOverheadBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** 4% noisy samples: about 390 KB a picture, so ten of them in base64 still fit Lambda's 6 MB answer. */
    private static final int NOISE_PERCENT = 4;
    private static final int SIDE = 1024;

    private final int warmupOne = Integer.getInteger("benchmark.warmup.n1", 300);
    private final int warmupTen = Integer.getInteger("benchmark.warmup.n10", 60);
    private final int requestsOne = Integer.getInteger("benchmark.requests.n1", 1000);
    private final int requestsTen = Integer.getInteger("benchmark.requests.n10", 200);

    InstantUpstream upstream;

    @InjectS3
    S3Client s3;

    private final LambdaHttpHandler handler = new LambdaHttpHandler();

    /** One timed request, in nanoseconds, and what the gateway said about it. */
    record Sample(int status, int answerBytes, long handlerNanos, long upstreamOwnNanos, double upstreamMs,
            double storageMs, double totalMs) {

        double overheadMs() {
            return (handlerNanos - upstreamOwnNanos) / 1e6 - storageMs;
        }
    }

    @Test
    void gatewayOverhead_perRequest_p50AndP99() {
        ObjectNode machine = BenchmarkReport.machine();
        List<byte[]> images = new ArrayList<>();
        for (int seed = 1; seed <= 10; seed++) {
            images.add(TestImages.noisyPng(SIDE, SIDE, NOISE_PERCENT, seed));
        }
        upstream.answerWith(images.subList(0, 1));
        upstream.answerWith(images);

        long started = System.nanoTime();
        for (int round = 0; round < warmupOne; round++) {
            call("b64_json", 1);
            call("url", 1);
        }
        for (int round = 0; round < warmupTen; round++) {
            call("b64_json", 10);
            call("url", 10);
        }
        long warmedUp = System.nanoTime();

        ObjectNode section = JSON.createObjectNode();
        section.set("machine", machine);
        section.put("definition", "overhead = wall time of LambdaHttpHandler.handleRequest(event, context)"
                + " - upstream's own time (its handler: request received to answer headers sent)"
                + " - Server-Timing storage (first S3 upload start to last upload end)");
        ObjectNode images1024 = section.putObject("images");
        images1024.put("size", SIDE + "x" + SIDE);
        images1024.put("format", "png");
        images1024.put("bytes_each_min", images.stream().mapToInt(image -> image.length).min().orElse(0));
        images1024.put("bytes_each_max", images.stream().mapToInt(image -> image.length).max().orElse(0));
        images1024.put("upstream_answer_bytes_n1", upstream.answerBytes(1));
        images1024.put("upstream_answer_bytes_n10", upstream.answerBytes(10));
        var cases = section.putArray("cases");
        for (String mode : List.of("b64_json", "url")) {
            for (int n : List.of(1, 10)) {
                int count = n == 1 ? requestsOne : requestsTen;
                System.gc();
                List<Sample> samples = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    samples.add(call(mode, n));
                }
                cases.add(summary(mode, n, n == 1 ? warmupOne : warmupTen, samples));
            }
        }
        section.put("warmup_seconds", (warmedUp - started) / 1e9);
        section.put("measure_seconds", (System.nanoTime() - warmedUp) / 1e9);
        BenchmarkReport.record("gateway_overhead", section);
    }

    private Sample call(String mode, int n) {
        APIGatewayV2HTTPEvent event = event("{\"model\":\"dall-e-2\",\"prompt\":\"A cute baby sea otter\",\"n\":" + n
                + ",\"size\":\"1024x1024\",\"response_format\":\"" + mode + "\"}");
        InvocationContext context = new InvocationContext();

        long before = System.nanoTime();
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, context);
        long handlerNanos = System.nanoTime() - before;

        long upstreamOwn = upstream.lastOwnNanos();
        Map<String, Double> timing = serverTiming(response);
        assertThat(response.getStatusCode()).as(response.getBody()).isIn(200, 413);
        assertThat(timing).containsKeys("upstream", "storage", "total");
        if (mode.equals("url")) {
            removeStoredImages(response.getBody());
        }
        return new Sample(response.getStatusCode(), response.getBody().length(), handlerNanos, upstreamOwn,
                timing.get("upstream"), timing.get("storage"), timing.get("total"));
    }

    private static APIGatewayV2HTTPEvent event(String body) {
        APIGatewayV2HTTPEvent.RequestContext.Http http = APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                .withMethod("POST").withPath(Gateway.PATH).withProtocol("HTTP/1.1").withSourceIp("203.0.113.10")
                .withUserAgent("benchmark").build();
        APIGatewayV2HTTPEvent.RequestContext requestContext = APIGatewayV2HTTPEvent.RequestContext.builder()
                .withAccountId("123456789012").withApiId("abc123").withDomainName("abc123.execute-api.us-east-1.amazonaws.com")
                .withHttp(http).withRequestId("benchmark").withRouteKey("POST " + Gateway.PATH).withStage("$default")
                .withTimeEpoch(System.currentTimeMillis()).build();
        return APIGatewayV2HTTPEvent.builder().withVersion("2.0").withRouteKey("POST " + Gateway.PATH)
                .withRawPath(Gateway.PATH).withRawQueryString("")
                .withHeaders(Map.of("content-type", "application/json", "authorization", "Bearer " + Gateway.CALLER_KEY,
                        "host", "abc123.execute-api.us-east-1.amazonaws.com"))
                .withRequestContext(requestContext).withBody(body).withIsBase64Encoded(false).build();
    }

    /** {@code Server-Timing} in milliseconds by name; the HTTP bridge may split it into several values. */
    static Map<String, Double> serverTiming(APIGatewayV2HTTPResponse response) {
        List<String> values = new ArrayList<>();
        if (response.getHeaders() != null) {
            response.getHeaders().forEach((name, value) -> {
                if (name.equalsIgnoreCase("server-timing")) {
                    values.add(value);
                }
            });
        }
        if (response.getMultiValueHeaders() != null) {
            response.getMultiValueHeaders().forEach((name, list) -> {
                if (name.equalsIgnoreCase("server-timing")) {
                    values.addAll(list);
                }
            });
        }
        Map<String, Double> timing = new HashMap<>();
        for (String metric : String.join(",", values).split(",")) {
            String[] parts = metric.strip().split(";dur=");
            if (parts.length == 2) {
                timing.put(parts[0].strip(), Double.parseDouble(parts[1].strip()));
            }
        }
        return timing;
    }

    /** Keeps S3Proxy's in-memory store from growing over thousands of requests; not timed. */
    private void removeStoredImages(String body) {
        try {
            List<ObjectIdentifier> keys = new ArrayList<>();
            for (JsonNode item : JSON.readTree(body).path("data")) {
                String path = URI.create(item.path("url").asText()).getPath();
                keys.add(ObjectIdentifier.builder().key(path.substring(path.indexOf('/', 1) + 1)).build());
            }
            if (!keys.isEmpty()) {
                s3.deleteObjects(delete -> delete.bucket(S3TestServer.BUCKET).delete(d -> d.objects(keys)));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static ObjectNode summary(String mode, int n, int warmup, List<Sample> samples) {
        ObjectNode c = JSON.createObjectNode();
        c.put("response_format", mode);
        c.put("n", n);
        c.put("warmup_requests", warmup);
        c.put("requests", samples.size());
        c.put("status", samples.get(samples.size() - 1).status());
        c.put("answer_bytes", samples.get(samples.size() - 1).answerBytes());
        c.set("overhead_ms", distribution(samples, Sample::overheadMs));
        c.set("handler_ms", distribution(samples, sample -> sample.handlerNanos() / 1e6));
        c.set("server_timing_total_ms", distribution(samples, Sample::totalMs));
        c.set("server_timing_upstream_ms", distribution(samples, Sample::upstreamMs));
        c.set("upstream_own_ms", distribution(samples, sample -> sample.upstreamOwnNanos() / 1e6));
        c.set("storage_ms", distribution(samples, Sample::storageMs));
        System.out.printf(Locale.ROOT,
                "%-8s n=%-2d overhead p50 %.3f ms p99 %.3f ms (handler p50 %.3f ms, storage p50 %.3f ms)%n",
                mode, n, c.at("/overhead_ms/p50").asDouble(), c.at("/overhead_ms/p99").asDouble(),
                c.at("/handler_ms/p50").asDouble(), c.at("/storage_ms/p50").asDouble());
        return c;
    }

    private static ObjectNode distribution(List<Sample> samples, ToDoubleFunction<Sample> figure) {
        double[] values = samples.stream().mapToDouble(figure).sorted().toArray();
        ObjectNode d = JSON.createObjectNode();
        d.put("p50", round(BenchmarkReport.percentile(values, 50)));
        d.put("p90", round(BenchmarkReport.percentile(values, 90)));
        d.put("p99", round(BenchmarkReport.percentile(values, 99)));
        d.put("max", round(values[values.length - 1]));
        d.put("mean", round(Arrays.stream(values).average().orElse(0)));
        return d;
    }

    private static double round(double millis) {
        return Math.round(millis * 1000) / 1000.0;
    }
}
