package dev.imagegateway.load;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.imagegateway.testsupport.Gateway;
import dev.imagegateway.testsupport.S3TestServer;
import dev.imagegateway.testsupport.S3TestServer.InjectS3;
import dev.imagegateway.testsupport.TestImages;
import dev.imagegateway.testsupport.UpstreamStubs;
import dev.imagegateway.testsupport.UpstreamTestServer;
import dev.imagegateway.testsupport.UpstreamTestServer.InjectUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A bounded load with an upstream that fails a fifth of the calls: every request ends in images that
 * really download or in the right error, no object is left in the bucket that no answer accounts for,
 * and the heap comes back to where it was.
 */
@QuarkusTest
@WithTestResource(S3TestServer.class)
@WithTestResource(UpstreamTestServer.class)
class LoadWithoutLossTest {

    private static final int REQUESTS = 300;
    private static final int CONCURRENCY = 16;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What each kind of prompt makes the upstream do, and the statuses the caller may then see. */
    private static final Map<String, Set<Integer>> EXPECTED = Map.of(
            "ok", Set.of(200),
            "busy", Set.of(502),
            "reset", Set.of(502),
            "policy", Set.of(400),
            "limited", Set.of(429));

    @InjectUpstream
    WireMockServer upstream;

    @InjectS3
    S3Client s3;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final byte[] png = TestImages.png(64, 64);

    record Outcome(String kind, int status, String requestId, JsonNode body) {
    }

    @Test
    void hundredsOfConcurrentRequests_loseNothing_andLeakNothing() throws Exception {
        stubUpstream();
        // Other test classes share this bucket; only what this run adds is judged.
        Set<String> before = new HashSet<>(objectKeys());
        long heapBefore = usedHeapAfterGc();

        List<Outcome> outcomes = new ArrayList<>();
        ExecutorService callers = Executors.newFixedThreadPool(CONCURRENCY);
        try {
            List<Future<Outcome>> pending = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                int index = i;
                pending.add(callers.submit(() -> call(index)));
            }
            for (Future<Outcome> future : pending) {
                outcomes.add(future.get(2, TimeUnit.MINUTES));
            }
        } finally {
            callers.shutdownNow();
        }

        Set<String> accountedFor = new HashSet<>();
        int linksChecked = 0;
        for (Outcome outcome : outcomes) {
            assertThat(EXPECTED.get(outcome.kind())).as(outcome.toString()).contains(outcome.status());
            assertThat(outcome.requestId()).isNotBlank();
            if (outcome.status() == 200) {
                accountedFor.add(outcome.requestId());
                for (JsonNode image : outcome.body().get("data")) {
                    if (image.has("url")) {
                        HttpResponse<byte[]> download = Gateway.download(image.get("url").asText());
                        assertThat(download.statusCode()).isEqualTo(200);
                        assertThat(download.body()).isEqualTo(png);
                        linksChecked++;
                    } else {
                        assertThat(image.get("b64_json").asText()).isEqualTo(TestImages.base64(png));
                    }
                }
            } else {
                assertThat(outcome.body().at("/error/message").asText()).isNotBlank();
            }
        }
        assertThat(linksChecked).isGreaterThan(50);

        List<String> added = objectKeys().stream().filter(key -> !before.contains(key)).toList();
        for (String key : added) {
            String requestId = key.split("/")[4];
            assertThat(accountedFor).as("object %s belongs to an answer", key).contains(requestId);
        }
        assertThat(added).hasSize(linksChecked);

        long heapAfter = usedHeapAfterGc();
        assertThat(heapAfter).as("heap after the run (before: %d MB)", heapBefore >> 20)
                .isLessThan(heapBefore + (64L << 20));
    }

    private Outcome call(int index) throws Exception {
        String kind = switch (index % 10) {
            case 3 -> "busy";
            case 5 -> "reset";
            case 7 -> "policy";
            case 9 -> "limited";
            default -> "ok";
        };
        String format = index % 3 == 0 ? "b64_json" : "url";
        int n = index % 4 == 0 ? 3 : 1;
        String body = "{\"prompt\":\"" + kind + " " + index + "\",\"n\":" + n + ",\"response_format\":\"" + format + "\"}";
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + Gateway.PATH))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + Gateway.CALLER_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        return new Outcome(kind, response.statusCode(), response.headers().firstValue("x-request-id").orElse(""),
                JSON.readTree(response.body()));
    }

    private void stubUpstream() {
        upstream.resetAll();
        upstream.stubFor(post(urlEqualTo(UpstreamStubs.PATH)).withRequestBody(containing("\"ok "))
                .willReturn(UpstreamStubs.json(200, UpstreamStubs.imagesBody(List.of(png, png, png), false))));
        upstream.stubFor(post(urlEqualTo(UpstreamStubs.PATH)).withRequestBody(containing("\"busy "))
                .willReturn(UpstreamStubs.json(503, UpstreamStubs.error("server-error"))));
        upstream.stubFor(post(urlEqualTo(UpstreamStubs.PATH)).withRequestBody(containing("\"reset "))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        upstream.stubFor(post(urlEqualTo(UpstreamStubs.PATH)).withRequestBody(containing("\"policy "))
                .willReturn(UpstreamStubs.json(400, UpstreamStubs.error("content-policy-violation"))));
        upstream.stubFor(post(urlEqualTo(UpstreamStubs.PATH)).withRequestBody(containing("\"limited "))
                .willReturn(UpstreamStubs.json(429, UpstreamStubs.error("rate-limit-exceeded"))));
    }

    private List<String> objectKeys() {
        return s3.listObjectsV2Paginator(list -> list.bucket(S3TestServer.BUCKET).prefix("images/"))
                .contents().stream().map(S3Object::key).toList();
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
