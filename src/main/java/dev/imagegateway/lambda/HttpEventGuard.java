package dev.imagegateway.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagegateway.error.InvalidRequestException;
import dev.imagegateway.wire.WellFormedText;
import io.vertx.core.net.HostAndPort;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks an HTTP event for what the HTTP layer behind the Lambda bridge would refuse or change on its
 * own, before it sees the event: a control byte in a header value or a space in a header name (Netty
 * throws, quoting the whole value, and the bridge logs it at ERROR and answers a bare 500), a malformed
 * percent-encoding in the query string or path, or a character there that {@code java.net.URI} refuses
 * such as {@code |} (an empty 400 without our envelope), a body that is not
 * what the event says it is (bad base64; text with lone surrogates, which the bridge turns into
 * {@code ?}), a {@code Host} that is no host (a bare 400), and the caller's own framing:
 * {@code Expect: 100-continue} (an interim 100 taken as the final answer) and a {@code Content-Length}
 * that is no number (a bare 500) or larger than the limit (a bare 413), although Lambda already holds the
 * whole body. Such an event gets the gateway's own 400 instead, or loses the framing headers; no message
 * here quotes a header value.
 */
final class HttpEventGuard {

    private static final String INVALID_HEADER = "invalid_header";
    // RFC 9110 token characters, the only ones a header name may have.
    private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";
    // ASCII that java.net.URI, with which the HTTP layer reads the request target, refuses in a query
    // or a path (a bare 400, without our envelope); brackets belong to an IPv6 host, never to a path.
    // '#' too: a request target has no fragment (RFC 9112), and a second '#' is one of those 400s.
    private static final String NOT_IN_QUERY = "\"#<>\\^`{|}";
    private static final String NOT_IN_PATH = NOT_IN_QUERY + "[]";
    private static final Set<String> FRAMING_HEADERS = Set.of("expect", "content-length", "transfer-encoding");

    private HttpEventGuard() {
    }

    /** The first problem of the event as the caller's 400, or empty when the HTTP layer may have it. */
    static Optional<InvalidRequestException> problem(ObjectNode event) {
        Optional<InvalidRequestException> problem = headersProblem(event.get("headers"))
                .or(() -> cookiesProblem(event.get("cookies")));
        if (problem.isEmpty()) {
            problem = uriProblem(event.path("rawPath"), "path", true)
                    .or(() -> uriProblem(event.path("rawQueryString"), "query string", false));
        }
        return problem.or(() -> bodyProblem(event));
    }

    /**
     * Removes the headers that framed the body between the caller and API Gateway: {@code Expect},
     * {@code Content-Length} and {@code Transfer-Encoding}. The body is already whole in the event, so
     * they describe nothing the gateway reads, and the HTTP layer acts on them: it answers the interim
     * 100 of an {@code Expect} as the request's only answer, and parses {@code Content-Length} for its
     * body limit (a bare 500 for {@code ""} or {@code "1, 2"}, a bare 413 for a length the body does not
     * have). {@code Transfer-Encoding} goes with them as the same framing, before anything acts on it.
     * The body limit still holds, on the body itself.
     *
     * @return whether the event changed
     */
    static boolean dropFraming(ObjectNode event) {
        if (!(event.get("headers") instanceof ObjectNode headers)) {
            return false;
        }
        boolean changed = false;
        for (Iterator<String> names = headers.fieldNames(); names.hasNext();) {
            if (FRAMING_HEADERS.contains(names.next().toLowerCase(Locale.ROOT))) {
                names.remove();
                changed = true;
            }
        }
        return changed;
    }

    private static Optional<InvalidRequestException> headersProblem(JsonNode headers) {
        if (headers == null || headers.isNull()) {
            return Optional.empty();
        }
        if (!headers.isObject()) {
            return Optional.of(invalidHeader("The request's headers could not be read."));
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = headers.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> header = fields.next();
            if (!isToken(header.getKey())) {
                return Optional.of(invalidHeader("Invalid header name: a header name may only contain letters,"
                        + " digits and " + TOKEN_SYMBOLS + "."));
            }
            JsonNode value = header.getValue();
            if (value.isNull()) {
                continue;
            }
            if (!value.isTextual() || hasControlCharacter(value.textValue())) {
                return Optional.of(invalidHeader("Invalid value for header '" + header.getKey()
                        + "': a header value may not contain control characters."));
            }
            if (header.getKey().equalsIgnoreCase("host") && !isHost(value.textValue())) {
                return Optional.of(invalidHeader("Invalid value for header 'host': it must be a host name or"
                        + " address, optionally with a port."));
            }
        }
        return Optional.empty();
    }

    /**
     * The payload-2.0 {@code cookies} array: the bridge joins it into a {@code Cookie} header, which the
     * HTTP layer refuses (and quotes in its log) for a control byte like any other header value.
     */
    private static Optional<InvalidRequestException> cookiesProblem(JsonNode cookies) {
        if (cookies == null || cookies.isNull()) {
            return Optional.empty();
        }
        if (!cookies.isArray()) {
            return Optional.of(invalidHeader("The request's cookies could not be read."));
        }
        for (JsonNode cookie : cookies) {
            if (!cookie.isTextual() || hasControlCharacter(cookie.textValue())) {
                return Optional.of(invalidHeader("Invalid value for header 'cookie': a header value may not contain"
                        + " control characters."));
            }
        }
        return Optional.empty();
    }

    private static Optional<InvalidRequestException> uriProblem(JsonNode node, String part, boolean isPath) {
        if (node.isMissingNode() || node.isNull()) {
            return isPath ? Optional.of(invalidUri(part)) : Optional.empty();
        }
        String text = node.asText();
        // "//…" reads as an authority to the HTTP layer ("//" alone got a bare 400, "//host/x" another
        // path than the caller wrote): a request path has one leading slash.
        if (isPath && (!text.startsWith("/") || text.startsWith("//"))) {
            return Optional.of(invalidUri(part));
        }
        return isWellFormedUriPart(text, isPath ? NOT_IN_PATH : NOT_IN_QUERY) ? Optional.empty()
                : Optional.of(invalidUri(part));
    }

    private static Optional<InvalidRequestException> bodyProblem(ObjectNode event) {
        JsonNode body = event.get("body");
        if (body == null || body.isNull()) {
            return Optional.empty();
        }
        if (!body.isTextual()) {
            return Optional.of(new InvalidRequestException(null, null, "The request body could not be read."));
        }
        if (event.path("isBase64Encoded").asBoolean(false)) {
            try {
                Base64.getDecoder().decode(body.textValue());
            } catch (IllegalArgumentException e) {
                return Optional.of(new InvalidRequestException(null, null,
                        "The request body could not be read: it is not the base64 its event says it is."));
            }
        } else if (WellFormedText.hasLoneSurrogate(body.textValue())) {
            return Optional.of(new InvalidRequestException(null, null, "The request body is not well-formed UTF-8."));
        }
        return Optional.empty();
    }

    static boolean isToken(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean alphanumeric = c < 0x80 && Character.isLetterOrDigit(c);
            if (!alphanumeric && TOKEN_SYMBOLS.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * A host and optional port as RFC 3986 spells an authority, by the HTTP layer's own parser, so that
     * the two never disagree. Empty is left to the HTTP layer: HTTP/1.1 allows an empty {@code Host}.
     */
    static boolean isHost(String value) {
        return value.isEmpty() || HostAndPort.parseAuthority(value, -1) != null;
    }

    /** Control characters other than horizontal tab, which RFC 9110 allows inside a field value. */
    static boolean hasControlCharacter(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    /**
     * No space, control character or character of {@code notAllowed}, every {@code %} followed by two hex
     * digits, and what the escapes spell well-formed UTF-8: what the HTTP layer can decode without
     * refusing or replacing anything.
     */
    static boolean isWellFormedUriPart(String text, String notAllowed) {
        if (WellFormedText.hasLoneSurrogate(text)) {
            return false;
        }
        ByteBuffer decoded = ByteBuffer.allocate(text.length() * 4);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c <= 0x20 || c == 0x7f || notAllowed.indexOf(c) >= 0) {
                return false;
            }
            if (c != '%') {
                int end = Character.isHighSurrogate(c) ? i + 2 : i + 1;
                decoded.put(text.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end - 1;
                continue;
            }
            if (i + 2 >= text.length()) {
                return false;
            }
            int high = hexValue(text.charAt(i + 1));
            int low = hexValue(text.charAt(i + 2));
            if (high < 0 || low < 0) {
                return false;
            }
            decoded.put((byte) (high * 16 + low));
            i += 2;
        }
        decoded.flip();
        return WellFormedText.isUtf8(decoded);
    }

    private static int hexValue(char c) {
        // Character.digit would also take other scripts' digits, which are no escape.
        return c < 0x80 ? Character.digit(c, 16) : -1;
    }

    private static InvalidRequestException invalidHeader(String message) {
        return new InvalidRequestException(null, INVALID_HEADER, message);
    }

    private static InvalidRequestException invalidUri(String part) {
        return new InvalidRequestException(null, "invalid_url", "Invalid URL: the " + part
                + " is not well-formed (spaces, control characters and any of \"#<>\\^`{|} must be percent-encoded,"
                + " and every '%' must start an escape of two hex digits of UTF-8).");
    }
}
