package dev.imagegateway.wire;

import dev.imagegateway.error.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A {@code multipart/form-data} body (RFC 7578) read strictly over the bytes the request arrived in.
 * Parts are views into that one array ({@link Part#offset()}, {@link Part#length()}): an uploaded image
 * is never copied, and is forwarded upstream from the same bytes.
 *
 * <p>
 * Quarkus REST's own multipart reader is not used: it reads a part without a {@code filename} as a text
 * attribute (the official Java SDK sends images that way), spills files to disk, and answers a malformed
 * body with an opaque error. Here every way a body can be malformed is a 400 that says what is wrong.
 */
public final class MultipartBody {

    /** At most this many parts: 16 images, a mask and every field of the API, with room to spare. */
    static final int MAX_PARTS = 64;
    /** At most this many header bytes per part; a real part has two short header lines. */
    static final int MAX_PART_HEADER_BYTES = 8192;
    private static final int MAX_BOUNDARY_LENGTH = 70;

    private MultipartBody() {
    }

    /**
     * One part: its name and, if given, filename and content type, and where its content lies in the body.
     */
    public record Part(String name, String filename, String contentType, byte[] body, int offset, int length) {

        /** The content as UTF-8 text; null when it is not well-formed UTF-8. */
        public String text() {
            if (!WellFormedText.isUtf8(java.nio.ByteBuffer.wrap(body, offset, length))) {
                return null;
            }
            return new String(body, offset, length, StandardCharsets.UTF_8);
        }
    }

    /** The boundary named by a {@code multipart/form-data} content type; a 400 when it names none. */
    public static String boundary(String contentType) {
        String boundary = null;
        String[] pieces = contentType.split(";");
        for (int i = 1; i < pieces.length; i++) {
            String parameter = pieces[i].strip();
            int equals = parameter.indexOf('=');
            if (equals > 0 && parameter.substring(0, equals).strip().equalsIgnoreCase("boundary")) {
                boundary = unquote(parameter.substring(equals + 1).strip());
            }
        }
        if (boundary == null || boundary.isEmpty()) {
            throw malformed("The multipart/form-data Content-Type names no boundary; send it as"
                    + " 'multipart/form-data; boundary=...'.");
        }
        if (boundary.length() > MAX_BOUNDARY_LENGTH || !isBoundary(boundary)) {
            throw malformed("The multipart boundary is not valid: 1 to 70 characters of letters, digits and"
                    + " '()+_,-./:=? ', not ending in a space (RFC 2046).");
        }
        return boundary;
    }

    /** Whether a content type is {@code multipart/form-data}, parameters aside. */
    public static boolean isFormData(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
        return type.equalsIgnoreCase("multipart/form-data");
    }

    /** The parts of {@code body}, in order; a 400 naming what is wrong when it is not well-formed. */
    public static List<Part> parse(byte[] body, String boundary) {
        if (body == null || body.length == 0) {
            throw malformed("The request body is empty; send a multipart/form-data body with the image and prompt.");
        }
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        byte[] innerDelimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        // A preamble before the first delimiter is allowed and ignored (RFC 2046).
        int at = body.length >= delimiter.length && startsWith(body, 0, delimiter) ? 0
                : indexOf(body, innerDelimiter, 0);
        if (at < 0) {
            throw malformed("The multipart body does not contain its boundary; check that the boundary in the"
                    + " Content-Type header is the one the body uses.");
        }
        at += at == 0 && startsWith(body, 0, delimiter) ? delimiter.length : innerDelimiter.length;
        List<Part> parts = new ArrayList<>();
        while (true) {
            if (startsWith(body, at, "--".getBytes(StandardCharsets.ISO_8859_1))) {
                return parts; // the close delimiter; an epilogue after it is ignored
            }
            at = skipTransportPadding(body, at);
            if (!startsWith(body, at, CRLF)) {
                throw malformed("The multipart body is malformed: a boundary line must end with CRLF.");
            }
            at += 2;
            if (startsWith(body, at, CRLF)) {
                throw malformed("The multipart body is malformed: a part has no Content-Disposition with a name.");
            }
            int headersEnd = indexOf(body, HEADERS_END, at);
            if (headersEnd < 0) {
                throw malformed("The multipart body is cut short: a part's headers do not end.");
            }
            if (headersEnd - at > MAX_PART_HEADER_BYTES) {
                throw malformed("The multipart body is malformed: a part's headers are longer than "
                        + MAX_PART_HEADER_BYTES + " bytes.");
            }
            Headers headers = headers(body, at, headersEnd);
            int contentStart = headersEnd + 4;
            int contentEnd = indexOf(body, innerDelimiter, contentStart);
            if (contentEnd < 0) {
                throw malformed("The multipart body is cut short: part '" + printable(headers.name)
                        + "' has no closing boundary.");
            }
            if (parts.size() == MAX_PARTS) {
                throw malformed("The multipart body has more than " + MAX_PARTS + " parts.");
            }
            parts.add(new Part(headers.name, headers.filename, headers.contentType, body, contentStart,
                    contentEnd - contentStart));
            at = contentEnd + innerDelimiter.length;
        }
    }

    private static final byte[] CRLF = { '\r', '\n' };
    private static final byte[] HEADERS_END = { '\r', '\n', '\r', '\n' };

    private record Headers(String name, String filename, String contentType) {
    }

    private static Headers headers(byte[] body, int from, int to) {
        String name = null;
        String filename = null;
        String contentType = null;
        String block = new String(body, from, to - from, StandardCharsets.UTF_8);
        for (String line : block.split("\r\n")) {
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw malformed("The multipart body is malformed: a part header line has no name.");
            }
            String header = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            if (header.equals("content-disposition")) {
                String[] pieces = splitParameters(value);
                if (!pieces[0].strip().equalsIgnoreCase("form-data")) {
                    throw malformed("The multipart body is malformed: every part's Content-Disposition must be"
                            + " 'form-data'.");
                }
                for (int i = 1; i < pieces.length; i++) {
                    String parameter = pieces[i].strip();
                    int equals = parameter.indexOf('=');
                    if (equals <= 0) {
                        continue;
                    }
                    String key = parameter.substring(0, equals).strip().toLowerCase(Locale.ROOT);
                    String given = unquote(parameter.substring(equals + 1).strip());
                    if (key.equals("name")) {
                        name = given;
                    } else if (key.equals("filename")) {
                        filename = given;
                    }
                }
            } else if (header.equals("content-type")) {
                contentType = value;
            }
        }
        if (name == null || name.isEmpty()) {
            throw malformed("The multipart body is malformed: a part has no Content-Disposition with a name.");
        }
        return new Headers(name, filename, contentType);
    }

    /** Splits at semicolons outside quotes. */
    private static String[] splitParameters(String value) {
        List<String> pieces = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' && (i == 0 || value.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            }
            if (c == ';' && !quoted) {
                pieces.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        pieces.add(current.toString());
        return pieces.toArray(String[]::new);
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            return value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        return value;
    }

    private static boolean isBoundary(String boundary) {
        if (boundary.endsWith(" ")) {
            return false;
        }
        for (int i = 0; i < boundary.length(); i++) {
            char c = boundary.charAt(i);
            boolean allowed = (c < 0x80 && Character.isLetterOrDigit(c)) || "'()+_,-./:=? ".indexOf(c) >= 0;
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    private static int skipTransportPadding(byte[] body, int at) {
        while (at < body.length && (body[at] == ' ' || body[at] == '\t')) {
            at++;
        }
        return at;
    }

    private static boolean startsWith(byte[] body, int at, byte[] prefix) {
        if (at < 0 || at + prefix.length > body.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (body[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** The first index of {@code pattern} in {@code body} at or after {@code from}, or -1. */
    static int indexOf(byte[] body, byte[] pattern, int from) {
        byte first = pattern[0];
        int last = body.length - pattern.length;
        for (int i = Math.max(0, from); i <= last; i++) {
            if (body[i] == first && startsWith(body, i, pattern)) {
                return i;
            }
        }
        return -1;
    }

    /** A part name as a message may quote it: cut short, control characters replaced. */
    static String printable(String name) {
        String cut = name.length() > 40 ? name.substring(0, 40) + "…" : name;
        StringBuilder text = new StringBuilder(cut.length());
        cut.codePoints().forEach(c -> text.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return text.toString();
    }

    private static InvalidRequestException malformed(String message) {
        // OpenAI answers a body it cannot parse with no code and no param, as for malformed JSON.
        return new InvalidRequestException(null, null, message);
    }
}
