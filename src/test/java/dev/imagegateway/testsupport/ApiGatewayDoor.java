package dev.imagegateway.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What API Gateway's HTTP API does in front of the function, on 127.0.0.1: each HTTP request becomes a
 * payload-2.0 event (header names lowercased, repeated headers joined with commas, a body that is not
 * text base64-encoded with {@code isBase64Encoded}), is delivered through the {@link LambdaRuntimeApi}
 * to the packaged function, and the function's payload-2.0 answer becomes the HTTP response. So an
 * unmodified HTTP client, such as the official OpenAI SDK, can call the packaged function.
 */
public final class ApiGatewayDoor implements AutoCloseable {

    /** API Gateway's integration timeout. */
    private static final Duration DOOR_TIMEOUT = Duration.ofSeconds(29);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final LambdaRuntimeApi runtime;

    public ApiGatewayDoor(LambdaRuntimeApi runtime) throws IOException {
        this.runtime = runtime;
        server = LoopbackHttpServer.create();
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The base URL callers use, e.g. as the OpenAI SDK's base URL plus {@code /v1}. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Outcome answer;
            try {
                LambdaRuntimeApi.Outcome outcome = runtime.invoke(event(exchange, body), DOOR_TIMEOUT,
                        DOOR_TIMEOUT.plusSeconds(5));
                answer = outcome.error() ? new Outcome(502, null, "{\"message\":\"Internal Server Error\"}")
                        : new Outcome(0, JSON.readTree(outcome.body()), null);
            } catch (Exception | AssertionError e) {
                // API Gateway's own answer when the integration does not answer in time.
                answer = new Outcome(503, null, "{\"message\":\"Service Unavailable\"}");
            }
            write(exchange, answer);
        }
    }

    private record Outcome(int status, JsonNode response, String doorBody) {
    }

    private static byte[] event(HttpExchange exchange, byte[] body) throws IOException {
        ObjectNode event = JSON.createObjectNode();
        URI uri = exchange.getRequestURI();
        String method = exchange.getRequestMethod();
        event.put("version", "2.0");
        event.put("routeKey", "$default");
        event.put("rawPath", uri.getRawPath());
        event.put("rawQueryString", uri.getRawQuery() == null ? "" : uri.getRawQuery());
        ObjectNode headers = event.putObject("headers");
        for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
            headers.put(header.getKey().toLowerCase(Locale.ROOT), String.join(",", header.getValue()));
        }
        ObjectNode context = event.putObject("requestContext");
        context.put("accountId", "123456789012");
        context.put("apiId", "local");
        context.put("domainName", "127.0.0.1");
        ObjectNode http = context.putObject("http");
        http.put("method", method);
        http.put("path", uri.getPath());
        http.put("protocol", "HTTP/1.1");
        http.put("sourceIp", "127.0.0.1");
        http.put("userAgent", headers.path("user-agent").asText(""));
        context.put("requestId", UUID.randomUUID().toString());
        context.put("routeKey", "$default");
        context.put("stage", "$default");
        context.put("timeEpoch", System.currentTimeMillis());
        if (body.length > 0) {
            String type = headers.path("content-type").asText("").toLowerCase(Locale.ROOT);
            boolean text = type.startsWith("application/json") || type.startsWith("text/");
            event.put("body", text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body));
            event.put("isBase64Encoded", !text);
        } else {
            event.put("isBase64Encoded", false);
        }
        return JSON.writeValueAsBytes(event);
    }

    private static void write(HttpExchange exchange, Outcome answer) throws IOException {
        int status;
        byte[] body;
        if (answer.response() == null) {
            status = answer.status();
            body = answer.doorBody().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
        } else {
            JsonNode response = answer.response();
            status = response.path("statusCode").asInt(200);
            response.path("headers").fields()
                    .forEachRemaining(header -> exchange.getResponseHeaders().add(header.getKey(), header.getValue().asText()));
            response.path("multiValueHeaders").fields().forEachRemaining(header -> header.getValue()
                    .forEach(value -> exchange.getResponseHeaders().add(header.getKey(), value.asText())));
            for (JsonNode cookie : response.path("cookies")) {
                exchange.getResponseHeaders().add("Set-Cookie", cookie.asText());
            }
            String text = response.path("body").asText("");
            body = response.path("isBase64Encoded").asBoolean() ? Base64.getDecoder().decode(text)
                    : text.getBytes(StandardCharsets.UTF_8);
        }
        exchange.getResponseHeaders().remove("Content-Length");
        exchange.getResponseHeaders().remove("Transfer-Encoding");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
