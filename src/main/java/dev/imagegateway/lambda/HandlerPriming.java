package dev.imagegateway.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The handler's own part of priming a snapshot: one HTTP API event through {@link LambdaEntry#dispatch}
 * (the event checks, Quarkus's Lambda HTTP bridge, routing, the body reader, the key check, the error
 * mapper and the response filters, up to the bridge's answer) and one held answer through
 * {@link DirectAnswer#write}. The event carries a key no hash matches, so it is answered 401 before
 * anything reaches the upstream or the bucket; while it runs, {@link #running()} is true, and the request
 * line and its metrics are not written (a snapshot's 401 is not a caller's).
 */
public final class HandlerPriming {

    private static final byte[] EVENT = ("{\"version\":\"2.0\",\"routeKey\":\"$default\",\"rawPath\":\"/v1/images/generations\","
            + "\"rawQueryString\":\"\",\"headers\":{\"authorization\":\"Bearer sk-gateway-priming\","
            + "\"content-type\":\"application/json\",\"host\":\"priming.invalid\"},"
            + "\"requestContext\":{\"http\":{\"method\":\"POST\",\"path\":\"/v1/images/generations\","
            + "\"protocol\":\"HTTP/1.1\",\"sourceIp\":\"127.0.0.1\",\"userAgent\":\"priming\"},"
            + "\"requestId\":\"priming\",\"routeKey\":\"$default\",\"stage\":\"$default\",\"timeEpoch\":0},"
            + "\"body\":\"{\\\"model\\\":\\\"gpt-image-2\\\",\\\"prompt\\\":\\\"priming\\\"}\",\"isBase64Encoded\":false}")
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] BRIDGED = ("{\"statusCode\":200,\"headers\":{\"content-type\":\"application/json\","
            + "\"content-length\":\"0\"},\"multiValueHeaders\":{},\"body\":\"\",\"isBase64Encoded\":false}")
            .getBytes(StandardCharsets.UTF_8);

    /** A generous deadline: nothing on the 401 path asks for more. */
    private static final int PRIMING_MILLIS = 60_000;

    private static volatile boolean running;

    private HandlerPriming() {
    }

    /** True only while the priming event is being served. */
    public static boolean running() {
        return running;
    }

    /** Serves the priming event and writes one held answer; throws if the event was not answered 401. */
    public static void run(byte[] sampleAnswer) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream(1024);
        running = true;
        try {
            LambdaEntry.dispatch(EVENT, answer, new DirectAnswerContext(
                    new SyntheticInvocation("image-gateway", 1024, () -> PRIMING_MILLIS)));
        } finally {
            running = false;
        }
        JsonNode bridged = LambdaEvent.JSON.readTree(answer.toByteArray());
        if (bridged.path("statusCode").asInt() != 401) {
            throw new IllegalStateException("the priming event was answered " + bridged.path("statusCode").asText());
        }
        DirectAnswer.write(BRIDGED, sampleAnswer, OutputStream.nullOutputStream());
    }
}
