package dev.imagegateway.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagegateway.lambda.LambdaEntry;
import dev.imagegateway.testsupport.InvocationContext;
import dev.imagegateway.testsupport.S3TestServer;
import dev.imagegateway.testsupport.S3TestServer.InjectS3;
import dev.imagegateway.testsupport.TestImages;
import dev.imagegateway.testsupport.UpstreamStubs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * Gateway overhead per request: each request is an API Gateway HTTP API event, as bytes, handed to the
 * function's handler ({@link LambdaEntry#dispatch}, what {@code LambdaEntry::handleRequest} runs once
 * the runtime has read the event) in this JVM, and timed until the answer's bytes are written, as the
 * runtime would send them back. Overhead = that time − the upstream's own time (measured inside
 * {@link InstantUpstream}) − the time S3 took to store the objects ({@code Server-Timing: storage}).
 * The upstream answers at once with pre-rendered 1024x1024 PNGs; S3 is S3Proxy in this JVM. After
 * each request the same request is sent straight to the upstream, so every figure also has a
 * reference measured in the same moment on the same machine: a busy machine moves both.
 */
@QuarkusTest
@WithTestResource(S3TestServer.class)
@WithTestResource(InstantUpstream.Resource.class)
class GatewayOverheadBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** 4% noisy samples: about 390 KB a picture, so ten of them in base64 still fit Lambda's 6 MB answer. */
    private static final int NOISE_PERCENT = 4;
    private static final int SIDE = 1024;
    private static final String LARGE = SIDE + "x" + SIDE;
    /** Asked for the fixed-cost cases, which the upstream answers with a 1x1 picture. */
    private static final String SMALL = "256x256";
    private static final String MODELS = "/v1/models";

    private final int warmupOne = Integer.getInteger("benchmark.warmup.n1", 300);
    private final int warmupTen = Integer.getInteger("benchmark.warmup.n10", 60);
    private final int requestsOne = Integer.getInteger("benchmark.requests.n1", 1000);
    private final int requestsTen = Integer.getInteger("benchmark.requests.n10", 200);

    InstantUpstream upstream;

    @InjectS3
    S3Client s3;

    private final HttpClient direct = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** Reused so that growing an answer buffer is not timed: the runtime writes into its own. */
    private final ByteArrayOutputStream answer = new ByteArrayOutputStream(8 << 20);

    /** One timed request, in nanoseconds, and what the gateway said about it. */
    record Sample(int status, int answerBytes, long handlerNanos, long upstreamOwnNanos, double upstreamMs,
            double storageMs, double totalMs, long directNanos) {

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
        upstream.answerWith(SMALL, List.of(TestImages.png(1, 1)));

        long started = System.nanoTime();
        for (int round = 0; round < warmupOne; round++) {
            call("b64_json", 1);
            call("url", 1);
        }
        for (int round = 0; round < warmupTen; round++) {
            call("b64_json", 10);
            call("url", 10);
        }
        for (int round = 0; round < warmupOne; round++) {
            call("b64_json", 1, SMALL);
            call("url", 1, SMALL);
            listModels();
        }
        long warmedUp = System.nanoTime();

        ObjectNode section = JSON.createObjectNode();
        section.set("machine", machine);
        section.put("definition", "overhead = wall time of LambdaEntry.dispatch(event bytes, output, context)"
                + " - upstream's own time (its handler: request received to answer headers sent)"
                + " - Server-Timing storage (first S3 upload start to last upload end);"
                + " straight_to_upstream = the same upstream request sent by the JDK's HttpClient right after,"
                + " whole answer read");
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
        // What a request costs when there are next to no bytes to move: is the time per request or per byte?
        var fixed = section.putArray("fixed_cost");
        for (String mode : List.of("b64_json", "url")) {
            System.gc();
            List<Sample> samples = new ArrayList<>(requestsOne);
            for (int i = 0; i < requestsOne; i++) {
                samples.add(call(mode, 1, SMALL));
            }
            fixed.add(summary(mode, 1, warmupOne, samples).put("image", "a 1x1 PNG ("
                    + TestImages.png(1, 1).length + " bytes), asked as " + SMALL).put("upstream_answer_bytes",
                            upstream.answerBytes(1, SMALL)));
        }
        System.gc();
        List<Sample> models = new ArrayList<>(requestsOne);
        for (int i = 0; i < requestsOne; i++) {
            models.add(listModels());
        }
        ObjectNode listing = fixed.addObject();
        listing.put("route", "GET " + MODELS);
        listing.put("what", "no upstream, no S3: the handler, the bridge, RESTEasy, authentication, the request log line");
        listing.put("requests", requestsOne);
        listing.put("status", models.get(models.size() - 1).status());
        listing.set("handler_ms", distribution(models, sample -> sample.handlerNanos() / 1e6));
        System.out.printf(Locale.ROOT, "GET %s handler p50 %.3f ms p99 %.3f ms%n", MODELS,
                listing.at("/handler_ms/p50").asDouble(), listing.at("/handler_ms/p99").asDouble());
        section.put("warmup_seconds", (warmedUp - started) / 1e9);
        section.put("measure_seconds", (System.nanoTime() - warmedUp) / 1e9);
        BenchmarkReport.record("gateway_overhead", section);
    }

    private Sample call(String mode, int n) {
        return call(mode, n, LARGE);
    }

    private Sample call(String mode, int n, String size) {
        String request = "{\"model\":\"dall-e-2\",\"prompt\":\"A cute baby sea otter\",\"n\":" + n
                + ",\"size\":\"" + size + "\",\"response_format\":\"" + mode + "\"}";
        long handlerNanos = dispatch(FunctionEnvironment.httpEvent(request));

        long upstreamOwn = upstream.lastOwnNanos();
        JsonNode response = readAnswer(answer.toByteArray());
        String body = response.path("body").asText();
        Map<String, Double> timing = serverTiming(response);
        assertThat(response.path("statusCode").asInt()).as(body).isIn(200, 413);
        assertThat(timing).containsKeys("upstream", "storage", "total");
        if (mode.equals("url")) {
            removeStoredImages(body);
        }
        return new Sample(response.path("statusCode").asInt(), body.length(), handlerNanos, upstreamOwn,
                timing.get("upstream"), timing.get("storage"), timing.get("total"), straightToUpstream(n, size));
    }

    /** Hands {@code event} to the handler, as the runtime would, into {@link #answer}; its wall time in ns. */
    private long dispatch(byte[] event) {
        InvocationContext context = new InvocationContext();
        answer.reset();
        long before = System.nanoTime();
        try {
            LambdaEntry.dispatch(event, answer, context);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return System.nanoTime() - before;
    }

    /** A route with no upstream and no S3 behind it, through the same handler and bridge. */
    private Sample listModels() {
        long handlerNanos = dispatch(FunctionEnvironment.httpEvent("GET", MODELS, null));
        JsonNode response = readAnswer(answer.toByteArray());
        assertThat(response.path("statusCode").asInt()).as(response.path("body").asText()).isEqualTo(200);
        return new Sample(200, response.path("body").asText().length(), handlerNanos, 0, 0, 0, 0, 0);
    }

    /** The upstream's part alone: the request the gateway sends, sent by a plain client, the whole answer read. */
    private long straightToUpstream(int n, String size) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(upstream.baseUrl() + UpstreamStubs.PATH))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + upstream.apiKey())
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"dall-e-2\",\"prompt\":\"A cute baby sea otter\","
                        + "\"n\":" + n + ",\"size\":\"" + size + "\",\"response_format\":\"b64_json\"}"))
                .build();
        try {
            long before = System.nanoTime();
            HttpResponse<byte[]> response = direct.send(request, HttpResponse.BodyHandlers.ofByteArray());
            long nanos = System.nanoTime() - before;
            assertThat(response.body()).hasSize(upstream.answerBytes(n, size));
            return nanos;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode readAnswer(byte[] answer) {
        try {
            return JSON.readTree(answer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code Server-Timing} in milliseconds by name, from the answer's single- or multi-value headers. */
    static Map<String, Double> serverTiming(JsonNode response) {
        List<String> values = new ArrayList<>();
        response.path("headers").fields().forEachRemaining(header -> {
            if (header.getKey().equalsIgnoreCase("server-timing")) {
                values.add(header.getValue().asText());
            }
        });
        response.path("multiValueHeaders").fields().forEachRemaining(header -> {
            if (header.getKey().equalsIgnoreCase("server-timing")) {
                header.getValue().forEach(value -> values.add(value.asText()));
            }
        });
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
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
        c.set("straight_to_upstream_ms", distribution(samples, sample -> sample.directNanos() / 1e6));
        double straight = c.at("/straight_to_upstream_ms/p50").asDouble();
        c.put("overhead_p50_to_straight_p50", round(c.at("/overhead_ms/p50").asDouble() / straight));
        c.put("handler_p50_to_straight_p50", round(c.at("/handler_ms/p50").asDouble() / straight));
        System.out.printf(Locale.ROOT,
                "%-8s n=%-2d overhead p50 %.3f ms p99 %.3f ms (handler p50 %.3f ms, storage p50 %.3f ms;"
                        + " straight to the upstream p50 %.3f ms, overhead %.2fx that)%n",
                mode, n, c.at("/overhead_ms/p50").asDouble(), c.at("/overhead_ms/p99").asDouble(),
                c.at("/handler_ms/p50").asDouble(), c.at("/storage_ms/p50").asDouble(), straight,
                c.path("overhead_p50_to_straight_p50").asDouble());
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
