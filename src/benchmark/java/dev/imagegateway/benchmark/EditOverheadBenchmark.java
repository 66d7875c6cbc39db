package dev.imagegateway.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagegateway.testsupport.Gateway;
import dev.imagegateway.testsupport.InvocationContext;
import dev.imagegateway.testsupport.S3TestServer;
import dev.imagegateway.testsupport.TestImages;
import io.quarkus.amazon.lambda.http.LambdaHttpHandler;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Gateway overhead of one multipart edit with two 1024x1024 PNG inputs of about 1 MB each, delivered
 * as API Gateway delivers a binary body (base64, {@code isBase64Encoded}), through Quarkus's Lambda
 * HTTP handler in this JVM; the instant upstream answers one image as {@code b64_json}. Overhead =
 * handler time − the upstream's own time, as in {@link GatewayOverheadBenchmark}.
 */
@QuarkusTest
@WithTestResource(S3TestServer.class)
@WithTestResource(InstantUpstream.Resource.class)
class EditOverheadBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PATH = "/v1/images/edits";
    private static final String BOUNDARY = "benchmark-boundary-7d1f";

    private final int warmup = Integer.getInteger("benchmark.warmup.edit", 50);
    private final int requests = Integer.getInteger("benchmark.requests.edit", 200);

    InstantUpstream upstream;

    private final LambdaHttpHandler handler = new LambdaHttpHandler();

    @Test
    void editWithTwoOneMegabyteInputs_overheadP50() {
        ObjectNode section = BenchmarkReport.machine();
        upstream.answerWith(List.of(TestImages.noisyPng(1024, 1024, 4, 1)));
        byte[] first = TestImages.noisyPng(1024, 1024, 15, 2);
        byte[] second = TestImages.noisyPng(1024, 1024, 15, 3);
        APIGatewayV2HTTPEvent event = event(multipart(first, second));
        for (int i = 0; i < warmup; i++) {
            call(event);
        }
        double[] overhead = new double[requests];
        for (int i = 0; i < requests; i++) {
            overhead[i] = call(event);
        }
        Arrays.sort(overhead);
        section.put("input_bytes_each", (first.length + second.length) / 2);
        section.put("requests", requests);
        section.put("overhead_p50_ms", Math.round(BenchmarkReport.percentile(overhead, 50) * 1000) / 1000.0);
        section.put("overhead_p99_ms", Math.round(BenchmarkReport.percentile(overhead, 99) * 1000) / 1000.0);
        System.out.printf("edit, two inputs of %d bytes: overhead p50 %.3f ms%n", (first.length + second.length) / 2,
                section.path("overhead_p50_ms").asDouble());
        BenchmarkReport.record("edit_overhead", section);
    }

    private double call(APIGatewayV2HTTPEvent event) {
        long before = System.nanoTime();
        APIGatewayV2HTTPResponse response = handler.handleRequest(event, new InvocationContext());
        long handlerNanos = System.nanoTime() - before;
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        return (handlerNanos - upstream.lastOwnNanos()) / 1e6;
    }

    private static byte[] multipart(byte[] first, byte[] second) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        text(body, "model", "gpt-image-2");
        text(body, "prompt", "Put both otters in one picture");
        file(body, "image[]", "first.png", first);
        file(body, "image[]", "second.png", second);
        body.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return body.toByteArray();
    }

    private static void text(ByteArrayOutputStream body, String name, String value) {
        body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value
                + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void file(ByteArrayOutputStream body, String name, String filename, byte[] bytes) {
        body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\""
                + filename + "\"\r\nContent-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(bytes);
        body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    private static APIGatewayV2HTTPEvent event(byte[] body) {
        APIGatewayV2HTTPEvent.RequestContext.Http http = APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                .withMethod("POST").withPath(PATH).withProtocol("HTTP/1.1").withSourceIp("203.0.113.10")
                .withUserAgent("benchmark").build();
        APIGatewayV2HTTPEvent.RequestContext requestContext = APIGatewayV2HTTPEvent.RequestContext.builder()
                .withAccountId("123456789012").withApiId("abc123").withDomainName("abc123.execute-api.us-east-1.amazonaws.com")
                .withHttp(http).withRequestId("benchmark").withRouteKey("POST " + PATH).withStage("$default")
                .withTimeEpoch(System.currentTimeMillis()).build();
        return APIGatewayV2HTTPEvent.builder().withVersion("2.0").withRouteKey("POST " + PATH).withRawPath(PATH)
                .withRawQueryString("")
                .withHeaders(Map.of("content-type", "multipart/form-data; boundary=" + BOUNDARY, "authorization",
                        "Bearer " + Gateway.CALLER_KEY, "host", "abc123.execute-api.us-east-1.amazonaws.com"))
                .withRequestContext(requestContext).withBody(Base64.getEncoder().encodeToString(body))
                .withIsBase64Encoded(true).build();
    }
}
