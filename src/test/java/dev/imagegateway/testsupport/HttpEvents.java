package dev.imagegateway.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * API Gateway payload-2.0 events, built from the sample files in {@code events/} and changed the way
 * a caller can change what API Gateway delivers: headers, query string, body bytes.
 */
public final class HttpEvents {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode event;

    private HttpEvents(ObjectNode event) {
        this.event = event;
    }

    /** The sample event {@code events/<name>}. */
    public static HttpEvents sample(String name) {
        try {
            return new HttpEvents((ObjectNode) JSON.readTree(Files.readAllBytes(Path.of("events", name))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public HttpEvents header(String name, String value) {
        ((ObjectNode) event.get("headers")).put(name, value);
        return this;
    }

    /** The path as the caller wrote it (API Gateway's decoded {@code requestContext.http.path} stays). */
    public HttpEvents path(String rawPath) {
        event.put("rawPath", rawPath);
        return this;
    }

    public HttpEvents method(String method) {
        ((ObjectNode) event.path("requestContext").path("http")).put("method", method);
        return this;
    }

    /** The payload-2.0 {@code cookies} array, as API Gateway delivers the caller's Cookie header. */
    public HttpEvents cookies(String... cookies) {
        var array = event.putArray("cookies");
        for (String cookie : cookies) {
            array.add(cookie);
        }
        return this;
    }

    public HttpEvents query(String rawQueryString) {
        event.put("rawQueryString", rawQueryString);
        return this;
    }

    /** A text body, as API Gateway delivers JSON. */
    public HttpEvents body(String text) {
        event.put("body", text).put("isBase64Encoded", false);
        return this;
    }

    /** Raw body bytes, base64-encoded as API Gateway delivers a body it does not take for text. */
    public HttpEvents bodyBytes(byte[] bytes) {
        event.put("body", Base64.getEncoder().encodeToString(bytes)).put("isBase64Encoded", true);
        return this;
    }

    /** A body field as written, for bodies that are no base64 at all. */
    public HttpEvents rawBase64Body(String notBase64) {
        event.put("body", notBase64).put("isBase64Encoded", true);
        return this;
    }

    public byte[] bytes() {
        try {
            return JSON.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The HTTP answer inside a payload-2.0 response, for assertions. */
    public static Answer answer(byte[] response) {
        try {
            JsonNode root = JSON.readTree(response);
            String body = root.path("body").asText("");
            return new Answer(root.path("statusCode").asInt(), root.path("headers"), body,
                    body.startsWith("{") ? JSON.readTree(body) : JSON.createObjectNode());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Status, headers and body of one answer; {@code json} is the body parsed when it is JSON. */
    public record Answer(int status, JsonNode headers, String body, JsonNode json) {

        public String header(String name) {
            for (var fields = headers.fields(); fields.hasNext();) {
                var field = fields.next();
                if (field.getKey().equalsIgnoreCase(name)) {
                    return field.getValue().asText();
                }
            }
            return null;
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}
