package dev.imagegateway.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.amazon.lambda.runtime.AmazonLambdaRecorder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * Serves an HTTP event through Quarkus's Lambda HTTP bridge and, when the route held its body back
 * ({@link DirectAnswerContext#hold}), writes that body into the bridge's answer itself: the answer's
 * JSON is the bridge's own (status, headers, cookies) with {@code body} set to the held JSON, escaped
 * as a JSON string in one pass over its bytes. Every other answer, errors included, is the bridge's,
 * byte for byte.
 */
final class DirectAnswer {

    private static final byte[] BODY_FIELD = ",\"body\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\"}".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long QUOTES = 0x2222222222222222L;
    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;
    private static final long SPACES = 0x2020202020202020L;

    private DirectAnswer() {
    }

    static void serve(byte[] event, OutputStream output, DirectAnswerContext context) throws IOException {
        Capture capture = new Capture(output, context);
        AmazonLambdaRecorder.handle(new ByteArrayInputStream(event), capture, context);
        if (capture.envelope != null) {
            write(capture.envelope.toByteArray(), context.body(), output);
        }
    }

    /**
     * The bridge's answer with {@code body} in it; the bridge's answer unchanged unless it is the empty
     * 200 that a held body leaves (an error raised after the hand-over is answered as the bridge wrote it).
     */
    static void write(byte[] bridged, byte[] body, OutputStream output) throws IOException {
        JsonNode answer = LambdaEvent.JSON.readTree(bridged);
        if (!(answer instanceof ObjectNode envelope) || envelope.path("statusCode").asInt() != 200
                || !envelope.path("body").asText("").isEmpty()) {
            output.write(bridged);
            return;
        }
        envelope.remove("body");
        envelope.put("isBase64Encoded", false);
        setContentLength(envelope.path("headers"), body.length);
        setContentLength(envelope.path("multiValueHeaders"), body.length);
        byte[] head = LambdaEvent.JSON.writeValueAsBytes(envelope);
        // head is a JSON object with statusCode in it: drop its closing brace and append the body.
        output.write(head, 0, head.length - 1);
        output.write(BODY_FIELD);
        writeEscaped(body, output);
        output.write(END);
    }

    /** The bridge counted the empty body; the answer has the held one. */
    private static void setContentLength(JsonNode headers, int length) {
        if (headers instanceof ObjectNode map) {
            for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> header = it.next();
                if (header.getKey().equalsIgnoreCase("content-length")) {
                    if (header.getValue().isArray()) {
                        map.putArray(header.getKey()).add(Integer.toString(length));
                    } else {
                        map.put(header.getKey(), Integer.toString(length));
                    }
                    return;
                }
            }
        }
    }

    /**
     * {@code json}'s bytes as the content of a JSON string: quote, backslash and control bytes escaped,
     * everything else (base64, UTF-8) copied in runs. Eight bytes are tested at a time (the word tricks
     * below find a quote, a backslash or a byte under 0x20 anywhere in them without a branch per byte):
     * almost all of an images answer is base64, with nothing to escape.
     */
    static void writeEscaped(byte[] json, OutputStream output) throws IOException {
        int run = 0;
        int i = 0;
        int words = json.length - Long.BYTES;
        while (i < json.length) {
            if (i <= words && nothingToEscape((long) WORDS.get(json, i))) {
                i += Long.BYTES;
                continue;
            }
            int b = json[i];
            if (b == '"' || b == '\\' || (b >= 0 && b < 0x20)) {
                output.write(json, run, i - run);
                output.write('\\');
                if (b < 0x20) {
                    output.write('u');
                    output.write('0');
                    output.write('0');
                    output.write(HEX[b >> 4]);
                    output.write(HEX[b & 0xf]);
                } else {
                    output.write(b);
                }
                run = i + 1;
            }
            i++;
        }
        output.write(json, run, json.length - run);
    }

    /**
     * Whether none of the eight bytes in {@code word} is a quote, a backslash or under 0x20: a byte is
     * zero after XOR with the quote (or backslash) exactly when it was one, and "has a zero byte" and
     * "has a byte under 0x20" are the classic tests {@code (x - 0x01..) & ~x & 0x80..}, exact for the
     * word as a whole (bytes of 0x80 and above, UTF-8, are never flagged).
     */
    static boolean nothingToEscape(long word) {
        long quotes = word ^ QUOTES;
        long backslashes = word ^ BACKSLASHES;
        long hits = ((quotes - ONES) & ~quotes) | ((backslashes - ONES) & ~backslashes) | ((word - SPACES) & ~word);
        return (hits & HIGH_BITS) == 0;
    }

    /**
     * Passes the bridge's answer straight to the runtime, unless a body was held: then the (small)
     * answer is kept for {@link #write}. The bridge writes only after the route has answered.
     */
    private static final class Capture extends OutputStream {
        private final OutputStream runtime;
        private final DirectAnswerContext context;
        private ByteArrayOutputStream envelope;

        Capture(OutputStream runtime, DirectAnswerContext context) {
            this.runtime = runtime;
            this.context = context;
        }

        private OutputStream target() {
            if (envelope == null && context.body() == null) {
                return runtime;
            }
            if (envelope == null) {
                envelope = new ByteArrayOutputStream(1024);
            }
            return envelope;
        }

        @Override
        public void write(int b) throws IOException {
            target().write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            target().write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            if (envelope == null) {
                runtime.flush();
            }
        }
    }
}
