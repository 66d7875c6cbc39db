package dev.imagegateway.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagegateway.testsupport.Gateway;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * Seeded generator of payload-2.0 HTTP events as a hostile caller can shape them through API Gateway:
 * header names and values (control bytes, CR/LF, NUL, DEL, non-ASCII, huge values, duplicated or odd-cased
 * {@code Authorization} and {@code Content-Type}, {@code Expect}), query strings and raw paths (valid and
 * malformed percent-encodings, overlong UTF-8 escapes, spaces, controls, huge), and body bytes (invalid
 * UTF-8 of every kind, truncations, {@code \ud800} escapes, base64 and text bodies, base64 that is none).
 * Each event starts from the sample {@code events/http-b64-json.json} and takes one to three mutations;
 * about one in eight takes none, so valid requests are always in the mix. The event JSON is written here,
 * not by Jackson, so that duplicate header names and lone surrogates reach the handler as a caller could
 * send them. The same seed yields the same events.
 */
final class HttpEventMutator {

    /** The caller key of the test profile, hidden in header values among control bytes. */
    static final String KEY = Gateway.CALLER_KEY;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNode SAMPLE = sample();
    private static final String[] VALID_BODIES = {
            SAMPLE.path("body").asText(),
            "{\"prompt\":\"an otter\",\"response_format\":\"b64_json\"}",
            "{\"prompt\":\"une loutre \u00e9 \ud83e\udda6 \u4e2d\",\"response_format\":\"b64_json\",\"n\":1}",
            "{\"prompt\":\"otter\",\"model\":\"gpt-image-1\",\"response_format\":\"b64_json\",\"output_format\":\"jpeg\"}",
    };
    // Byte sequences that no well-formed UTF-8 holds.
    private static final String[] INVALID_UTF8 = { "C0AF", "C1BF", "E080AF", "F08080AF", "F4908080", "F7BFBFBF",
            "EDA080", "EDBFBF", "EDA080EDB080", "80", "BF", "8080", "C3", "E282", "F09F98", "C328", "E228A1", "FE", "FF",
            "F888808080", "FC8480808080" };
    // No lone surrogate: an event with one in a header name is no JSON that Jackson reads from bytes (a
    // JSON escape in a name must spell a whole pair), so the function fails the invocation as for any
    // event that is not JSON. API Gateway writes the event; it writes no such name.
    private static final String[] SEPARATORS = { " ", ":", "(", ")", ",", "/", ";", "<", "=", ">", "?", "@", "[", "\\",
            "]", "{", "}", "\"", "\u00e9", "\u0100", "\ud83e\udda6", "\t" };
    private static final String[] CONTENT_TYPES = { "application/json", "application/json; charset=utf-8",
            "APPLICATION/JSON", "Application/Json ; charset=UTF-8", "application/json;charset=\"utf-8\"", "text/plain",
            "application/x-www-form-urlencoded", "application/xml", "multipart/form-data; boundary=x", "*/*",
            "application/*", "application/json-patch+json", "application/jsonx", "application/", "/json", "/", "json",
            "", " ", "application/json;", "application/json;;", "application/json; charset", "application/json; a=\"b",
            "application/json; charset=latin1", "application/json, text/plain", "application/json\u00e9",
            "application/json " + KEY, "text/html; " + KEY };
    private static final String[] PATHS = { "/v1/images/generations/", "//v1/images/generations",
            "/v1//images/generations", "/v1/images/generations/..", "/v1/images/../images/generations",
            "/../v1/images/generations", "/v1/images/generations;x=y", "/v1/images/generations%2F", "/v1/%69mages/generations",
            "/v1/images%2Fgenerations", "/V1/IMAGES/GENERATIONS", "/v1/images/generations%00", "/v1/images/generations%0d%0a",
            "/v1/images/generations%C3%A9", "/v1/images/generations\u00e9", "/v1/images/edits", "/v1/models", "/", "/%2e%2e/",
            "/v1/images/generations?x=1", "/v1/images/generations#x", "/v1/images/generations%3Fx", "*", "",
            "v1/images/generations", "/%", "/%zz", "/%4", "/%C0%AF", "/%E0%80%AF", "/%F4%90%80%80", "/%ED%A0%80", "/%80",
            "/a b", "/a\tb", "/a|b", "/a[0]", "/a{b}", "/a\"b", "/a<b>", "/a\\b", "/a^b", "/a`b", "/\u0000", "/\u007f",
            "/a\r\nb", "/\ud800", "/%%", "/%u0041" };
    private static final String[] QUERIES = { "a=b", "a=b&c=d", "a", "a=", "=b", "&", "&&", "a=b&a=c", "a=%C3%A9",
            "a=%25", "a=+b", "a=%20b", "a=%7E", "a=%e2%82%ac", "a=%F0%9F%A6%A6", "%", "%%", "a=%", "a=%zz", "a=%4",
            "a=%4g", "%zz=1", "a=%C0%AF", "a=%C1%BF", "a=%E0%80%AF", "a=%F0%80%80%AF", "a=%F4%90%80%80", "a=%ED%A0%80",
            "a=%80", "a=%C3", "a=%FF", "a b", "a=\u0000", "a=\u0001", "a=\r\n", "a=\u007f", "a=\t", "a=#frag", "a=\u00e9",
            "a=\ud800", "a=%u0041", "a[]=1", "a=|", "a={}", "a=\"", "a=<>", "a=\\", "a=^", "a=`", "key=" + KEY,
            "api_key=%00" + KEY };
    private static final String[] METHODS = { "GET", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "post", "PROPFIND",
            "TRACE" };

    private final Random random;

    HttpEventMutator(long seed) {
        this.random = new Random(seed);
    }

    /** The next event, with a printable description of everything that was changed. */
    FuzzedEvent next() {
        Draft draft = Draft.fromSample();
        int mutations = random.nextInt(8) == 0 ? 0 : 1 + random.nextInt(3);
        for (int i = 0; i < mutations; i++) {
            switch (random.nextInt(21)) {
                case 0, 1, 2 -> authorization(draft);
                case 3, 4 -> headerValue(draft);
                case 5, 6 -> headerName(draft);
                case 7, 8 -> contentType(draft);
                case 9 -> expect(draft);
                case 10, 11 -> query(draft);
                case 12, 13 -> path(draft);
                case 14, 15, 16 -> bodyBytes(draft);
                case 17 -> textBody(draft);
                case 18 -> invalidBase64(draft);
                case 19 -> cookies(draft);
                default -> method(draft);
            }
        }
        return new FuzzedEvent(draft.bytes(), draft.method, draft.describe());
    }

    /** The key with control bytes around (and sometimes inside) it, as an attacker probes the header parser. */
    private void authorization(Draft draft) {
        String value = switch (random.nextInt(12)) {
            case 0, 1, 2, 3 -> "Bearer " + withControls(KEY);
            case 4 -> withControls("Bearer " + KEY);
            case 5 -> "Bearer " + KEY + controlChar() + KEY;
            case 6 -> pick("bearer ", "BEARER ", "Bearer  ", "Bearer\t", "Basic ", "", "Token ") + KEY;
            case 7 -> "Bearer " + KEY + pick("", " ", "\t", ", Bearer sk-gateway-other", "\u00e9", "\ud800");
            case 8 -> " Bearer " + KEY;
            case 9 -> "Bearer " + KEY + "x".repeat(1 + random.nextInt(20_000));
            default -> "Bearer " + KEY;
        };
        draft.label("authorization");
        String name = pick("authorization", "Authorization", "AUTHORIZATION", "aUtHoRiZaTiOn");
        if (random.nextBoolean()) {
            draft.setHeader(name, value);
        } else {
            // A second Authorization next to the sample's: another spelling, or the same name twice in the JSON.
            draft.addHeader(random.nextBoolean() ? name : "authorization", value);
        }
    }

    private void headerValue(Draft draft) {
        String name = pick("user-agent", "x-api-key", "cookie", "accept", "x-forwarded-for", "openai-organization",
                "x-stainless-lang", "x-custom", "host", "content-length", "transfer-encoding");
        String value = switch (random.nextInt(8)) {
            case 0, 1 -> withControls(random.nextBoolean() ? KEY : "curl/8.5.0");
            case 2 -> "v".repeat(8_000 + random.nextInt(120_000));
            case 3 -> pick("", " ", "\t", " leading", "trailing ", "\tx", "x\t");
            case 4 -> pick("caf\u00e9", "\u0100\u0101", "\ud83e\udda6", "\ud800", "\udc00x", "\u00ff", "\u0085", "\u2028");
            case 5 -> pick("chunked", "gzip, chunked", "-1", "0", "99999999999", "abc", "1, 2", "example.com:8443",
                    "[::1]", "127.0.0.1:0", "host:99999", "host:abc", "a b", "a@b", "[::1", "\u00e9.example");
            case 6 -> KEY;
            default -> String.valueOf(random.nextInt());
        };
        draft.label("header value " + name);
        if (random.nextInt(4) == 0) {
            draft.addHeader(name, value);
        } else {
            draft.setHeader(name, value);
        }
    }

    private void headerName(Draft draft) {
        String name = switch (random.nextInt(6)) {
            case 0 -> "x" + pick(SEPARATORS) + "y";
            case 1 -> "x" + controlChar() + "y";
            case 2 -> pick("", " ", ":authority", "x-" + KEY, KEY + "\u0000", "Authorization ", " authorization");
            case 3 -> "x-".repeat(1 + random.nextInt(5_000));
            case 4 -> pick("!#$%&'*+-.^_`|~", "X-Custom", "x_custom", "123");
            default -> pick(SEPARATORS) + "name";
        };
        draft.label("header name");
        draft.addHeader(name, random.nextBoolean() ? KEY : "1");
    }

    private void contentType(Draft draft) {
        String value = random.nextInt(6) == 0 ? withControls(pick(CONTENT_TYPES)) : pick(CONTENT_TYPES);
        if (random.nextInt(8) == 0) {
            value = "application/json; x=" + "y".repeat(random.nextInt(50_000));
        }
        draft.label("content-type");
        String name = pick("content-type", "Content-Type", "CONTENT-TYPE");
        if (random.nextInt(4) == 0) {
            draft.addHeader(name, value);
        } else {
            draft.setHeader(name, value);
        }
    }

    /** The payload-2.0 cookies array, which the bridge joins into a Cookie header. */
    private void cookies(Draft draft) {
        draft.label("cookies");
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            draft.cookies.add(switch (random.nextInt(4)) {
                case 0 -> "session=" + KEY;
                case 1 -> withControls("session=" + KEY);
                case 2 -> pick("theme=dark", "a=b; c=d", "", "=", "x=\u00e9");
                default -> "k=" + controlChar() + "v";
            });
        }
    }

    private void expect(Draft draft) {
        draft.label("expect");
        draft.addHeader(pick("expect", "Expect", "EXPECT"), pick("100-continue", "100-Continue", "200-ok", "", "x"));
    }

    private void query(Draft draft) {
        String query = switch (random.nextInt(6)) {
            case 0 -> pick(QUERIES) + "&" + pick(QUERIES);
            case 1 -> "a=" + "%41".repeat(1 + random.nextInt(20_000));
            case 2 -> "a=" + "b".repeat(1 + random.nextInt(60_000)) + pick("", "%", "%zz", "%C0%AF");
            case 3 -> randomUriText();
            default -> pick(QUERIES);
        };
        draft.label("query");
        draft.rawQuery = query;
    }

    private void path(Draft draft) {
        String path = switch (random.nextInt(6)) {
            case 0 -> "/v1/images/generations" + pick(PATHS);
            case 1 -> "/v1/" + "a/".repeat(1 + random.nextInt(10_000));
            case 2 -> "/" + randomUriText();
            default -> pick(PATHS);
        };
        draft.label("path");
        draft.rawPath = path;
    }

    /** A valid body's bytes with invalid UTF-8 spliced in, truncated, or a continuation byte set loose, sent base64. */
    private void bodyBytes(Draft draft) {
        byte[] body = pick(VALID_BODIES).getBytes(StandardCharsets.UTF_8);
        String how;
        switch (random.nextInt(5)) {
            case 0, 1 -> {
                String hex = pick(INVALID_UTF8);
                body = splice(body, HexFormat.of().parseHex(hex), insideString(body));
                how = "invalid UTF-8 " + hex;
            }
            case 2 -> {
                body = java.util.Arrays.copyOf(body, random.nextInt(body.length + 1));
                how = "truncated to " + body.length + " bytes";
            }
            case 3 -> {
                int at = random.nextInt(body.length);
                body[at] ^= (byte) (0x80 | (1 << random.nextInt(7)));
                how = "byte " + at + " flipped";
            }
            default -> how = "valid, as base64";
        }
        draft.label("body bytes (" + how + ")");
        draft.body = Base64.getEncoder().encodeToString(body);
        draft.base64 = true;
        draft.bodyDescription = new String(body, StandardCharsets.ISO_8859_1);
    }

    /** A text body (not base64) with JSON escapes or characters that spell lone surrogates, or none. */
    private void textBody(Draft draft) {
        String prompt = pick("\\ud800", "\\udc00", "\\ud800\\u0041", "\\udbff\\udbff", "\\ud83e\\udda6", "\ud800",
                "\udfff", "\ud83e\udda6", "\\u0000", "\u0000", "\\uD800\\uDC00", "\\uDBFF\\uDFFF", "\\uDC00\\uD800",
                "plain", "\u00e9");
        draft.label("text body");
        draft.body = "{\"prompt\":\"an otter " + prompt + "\",\"response_format\":\"b64_json\"}";
        draft.base64 = false;
        draft.bodyDescription = null;
    }

    private void invalidBase64(Draft draft) {
        String valid = Base64.getEncoder().encodeToString(VALID_BODIES[1].getBytes(StandardCharsets.UTF_8));
        String body = switch (random.nextInt(7)) {
            case 0 -> "{not base64!";
            case 1 -> valid.substring(0, 1 + random.nextInt(valid.length() - 1));
            case 2 -> valid.replace('+', '-').replace('/', '_') + "-_";
            case 3 -> valid.substring(0, 10) + "\n" + valid.substring(10);
            case 4 -> valid + "=" + valid;
            case 5 -> "";
            default -> VALID_BODIES[1];
        };
        draft.label("base64 body that may be none");
        draft.body = body;
        draft.base64 = true;
        draft.bodyDescription = null;
    }

    private void method(Draft draft) {
        draft.label("method");
        draft.method = pick(METHODS);
    }

    /** Text of the kind a URI part may or may not hold: characters, escapes good and bad, controls. */
    private String randomUriText() {
        StringBuilder text = new StringBuilder();
        int length = 1 + random.nextInt(30);
        for (int i = 0; i < length; i++) {
            switch (random.nextInt(6)) {
                case 0 -> text.append('%').append(HexFormat.of().toHexDigits((byte) random.nextInt(256)));
                case 1 -> text.append(pick("%", "%z", "%zz", "%%", "+", "&", "=", "#", "?", "/", ";"));
                case 2 -> text.append((char) random.nextInt(0x80));
                case 3 -> text.append(pick("\u00e9", "\ud83e\udda6", "\ud800", "\u0100"));
                default -> text.append((char) ('a' + random.nextInt(26)));
            }
        }
        return text.toString();
    }

    private String withControls(String text) {
        StringBuilder out = new StringBuilder(text);
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            int at = switch (random.nextInt(4)) {
                case 0 -> 0;
                case 1 -> out.length();
                default -> random.nextInt(out.length() + 1);
            };
            out.insert(at, controlChar());
        }
        return out.toString();
    }

    /** Every C0 control byte (NUL, CR and LF among them) and DEL; tab, which HTTP allows, included for contrast. */
    private String controlChar() {
        int c = random.nextInt(34);
        if (c == 32) {
            return "\u007f";
        }
        return c == 33 ? "\r\n" : String.valueOf((char) c);
    }

    /** A position inside the body's first string value, where bad bytes are hardest for a lenient reader to notice. */
    private int insideString(byte[] body) {
        int firstColon = new String(body, StandardCharsets.ISO_8859_1).indexOf(":\"");
        return firstColon < 0 ? random.nextInt(body.length + 1) : firstColon + 2 + random.nextInt(3);
    }

    private static byte[] splice(byte[] body, byte[] bad, int at) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(body, 0, at);
        out.write(bad, 0, bad.length);
        out.write(body, at, body.length - at);
        return out.toByteArray();
    }

    @SafeVarargs
    private <T> T pick(T... choices) {
        return choices[random.nextInt(choices.length)];
    }

    private static JsonNode sample() {
        try {
            return JSON.readTree(Files.readAllBytes(Path.of("events", "http-b64-json.json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One event as bytes for the handler, and as text for a person replaying it. */
    record FuzzedEvent(byte[] bytes, String method, String description) {
    }

    /** The parts of an event a caller controls, with headers as an ordered list so that names can repeat. */
    private static final class Draft {

        private final List<String[]> headers = new ArrayList<>();
        private final List<String> labels = new ArrayList<>();
        private final List<String> cookies = new ArrayList<>();
        private String method;
        private String rawPath;
        private String rawQuery;
        private String body;
        private boolean base64;
        // The body's bytes one char per byte, when it is sent base64 and so would describe badly.
        private String bodyDescription;

        static Draft fromSample() {
            Draft draft = new Draft();
            SAMPLE.path("headers").fields().forEachRemaining(h -> draft.headers.add(new String[] { h.getKey(),
                    h.getValue().asText() }));
            draft.method = SAMPLE.at("/requestContext/http/method").asText();
            draft.rawPath = SAMPLE.path("rawPath").asText();
            draft.rawQuery = SAMPLE.path("rawQueryString").asText();
            draft.body = SAMPLE.path("body").asText();
            draft.base64 = SAMPLE.path("isBase64Encoded").asBoolean();
            return draft;
        }

        void label(String label) {
            labels.add(label);
        }

        void setHeader(String name, String value) {
            headers.removeIf(header -> header[0].equalsIgnoreCase(name));
            headers.add(new String[] { name, value });
        }

        void addHeader(String name, String value) {
            headers.add(new String[] { name, value });
        }

        byte[] bytes() {
            StringBuilder json = new StringBuilder("{\"version\":\"2.0\",\"routeKey\":\"$default\"");
            json.append(",\"rawPath\":").append(quote(rawPath));
            json.append(",\"rawQueryString\":").append(quote(rawQuery));
            json.append(",\"headers\":{");
            for (int i = 0; i < headers.size(); i++) {
                json.append(i == 0 ? "" : ",").append(quote(headers.get(i)[0])).append(':')
                        .append(quote(headers.get(i)[1]));
            }
            json.append('}');
            if (!cookies.isEmpty()) {
                json.append(",\"cookies\":[");
                for (int i = 0; i < cookies.size(); i++) {
                    json.append(i == 0 ? "" : ",").append(quote(cookies.get(i)));
                }
                json.append(']');
            }
            json.append(",\"requestContext\":").append(requestContext());
            json.append(",\"body\":").append(quote(body));
            json.append(",\"isBase64Encoded\":").append(base64).append('}');
            return json.toString().getBytes(StandardCharsets.US_ASCII);
        }

        private String requestContext() {
            ObjectNode context = SAMPLE.path("requestContext").deepCopy();
            context.put("routeKey", "$default");
            // The path as a placeholder: Jackson would write a lone surrogate raw, quote() escapes it.
            ((ObjectNode) context.path("http")).put("method", method).put("path", "@path@");
            return context.toString().replace("\"@path@\"", quote(rawPath));
        }

        String describe() {
            StringBuilder text = new StringBuilder(labels.isEmpty() ? "[unchanged]" : labels.toString());
            text.append(' ').append(printable(method)).append(' ').append(printable(rawPath));
            if (!rawQuery.isEmpty()) {
                text.append('?').append(printable(rawQuery));
            }
            for (String[] header : headers) {
                text.append(" | ").append(printable(header[0])).append(": ").append(printable(header[1]));
            }
            for (String cookie : cookies) {
                text.append(" | cookie ").append(printable(cookie));
            }
            text.append(" | body").append(base64 ? " (base64)" : "").append(": ")
                    .append(printable(bodyDescription != null ? bodyDescription : body));
            return text.toString();
        }

        /** Plain JSON string escaping, with every character outside printable ASCII as a \\u escape. */
        private static String quote(String text) {
            StringBuilder out = new StringBuilder("\"");
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '"' || c == '\\') {
                    out.append('\\').append(c);
                } else if (c < 0x20 || c > 0x7e) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
            return out.append('"').toString();
        }

        /** Controls and non-ASCII as escapes, runs of one character shortened, so that a failure reads on one line. */
        private static String printable(String text) {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                int run = 1;
                while (i + run < text.length() && text.charAt(i + run) == c) {
                    run++;
                }
                String shown = c >= 0x20 && c < 0x7f ? String.valueOf(c)
                        : c < 0x100 ? String.format("\\x%02X", (int) c) : String.format("\\u%04X", (int) c);
                if (run > 8) {
                    out.append(shown).append("×").append(run);
                    i += run - 1;
                } else {
                    out.append(shown);
                }
            }
            return out.length() > 400 ? out.substring(0, 400) + "…(" + out.length() + " chars)" : out.toString();
        }
    }
}
