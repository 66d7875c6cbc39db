package dev.imagegateway.benchmark;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.imagegateway.testsupport.LoopbackHttpServer;
import dev.imagegateway.testsupport.UpstreamStubs;
import dev.imagegateway.testsupport.UpstreamTestServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OpenAI-compatible image backend on 127.0.0.1 that answers at once: the answer for each {@code n}
 * is rendered before timing starts, so serving it costs a lookup and a socket write. It records its own
 * time for the last request ({@link #lastOwnNanos()}): from the moment its handler has the request to
 * the moment its answer's headers are sent, i.e. the time before it starts answering. Moving the
 * precomputed body through loopback and parsing it is the gateway's work and is not counted here.
 *
 * <p>
 * WireMock would do, but it adds its own, variable, milliseconds per answer; the JDK server adds
 * microseconds.
 */
final class InstantUpstream implements AutoCloseable {

    /** Starts one for a {@code @QuarkusTest} and hands it to the test's {@code InstantUpstream} field. */
    public static final class Resource implements QuarkusTestResourceLifecycleManager {

        private InstantUpstream upstream;

        @Override
        public Map<String, String> start() {
            try {
                upstream = new InstantUpstream();
            } catch (IOException e) {
                throw new IllegalStateException("the instant upstream did not start", e);
            }
            return Map.of("images.upstream.base-url", upstream.baseUrl(), "images.upstream.api-key", upstream.apiKey());
        }

        @Override
        public void inject(TestInjector injector) {
            injector.injectIntoFields(upstream, new TestInjector.MatchesType(InstantUpstream.class));
        }

        @Override
        public void stop() {
            if (upstream != null) {
                upstream.close();
            }
        }
    }

    private static final Pattern N = Pattern.compile("\"n\"\\s*:\\s*(\\d+)");
    private static final Pattern SIZE = Pattern.compile("\"size\"\\s*:\\s*\"([^\"]+)\"");
    private static final String ANY_SIZE = "";

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final Map<String, byte[]> answers = new ConcurrentHashMap<>();
    private final AtomicLong lastOwnNanos = new AtomicLong();

    InstantUpstream() throws IOException {
        server = LoopbackHttpServer.create();
        server.setExecutor(threads);
        server.createContext(UpstreamStubs.PATH, this::answer);
        // Edits get the same answers: the benchmark times the gateway, not what the upstream does with inputs.
        server.createContext(UpstreamStubs.EDITS_PATH, this::answer);
        server.start();
    }

    /** From now on a request for {@code images.size()} images gets these, as an OpenAI images answer. */
    void answerWith(List<byte[]> images) {
        answerWith(ANY_SIZE, images);
    }

    /** As {@link #answerWith(List)}, only for requests that ask for this {@code size}. */
    void answerWith(String size, List<byte[]> images) {
        answers.put(key(images.size(), size), UpstreamStubs.imagesBody(images, false).getBytes(StandardCharsets.UTF_8));
    }

    private static String key(int n, String size) {
        return n + " " + size;
    }

    /** The base URL for {@code images.upstream.base-url}. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The key it expects, for {@code images.upstream.api-key}. */
    String apiKey() {
        return UpstreamTestServer.UPSTREAM_KEY;
    }

    /** The upstream's own time for the last request it answered, in nanoseconds. */
    long lastOwnNanos() {
        return lastOwnNanos.get();
    }

    /** Bytes of the answer for {@code n} images. */
    int answerBytes(int n) {
        return answerBytes(n, ANY_SIZE);
    }

    /** Bytes of the answer for {@code n} images of this {@code size}. */
    int answerBytes(int n, String size) {
        byte[] sized = answers.get(key(n, size));
        return (sized != null ? sized : answers.get(key(n, ANY_SIZE))).length;
    }

    private void answer(HttpExchange exchange) throws IOException {
        long received = System.nanoTime();
        try (exchange) {
            String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Matcher n = N.matcher(request);
            Matcher size = SIZE.matcher(request);
            int count = n.find() ? Integer.parseInt(n.group(1)) : 1;
            byte[] body = answers.get(key(count, size.find() ? size.group(1) : ANY_SIZE));
            if (body == null) {
                body = answers.get(key(count, ANY_SIZE));
            }
            if (body == null) {
                exchange.sendResponseHeaders(500, -1);
                return;
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            lastOwnNanos.set(System.nanoTime() - received);
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
