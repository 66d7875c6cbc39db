package dev.imagegateway.api;

import static dev.imagegateway.api.RequestErrorsTest.assertEnvelope;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.imagegateway.testsupport.Gateway;
import dev.imagegateway.testsupport.LoopbackHttpServer;
import dev.imagegateway.testsupport.S3TestServer;
import dev.imagegateway.testsupport.TestImages;
import dev.imagegateway.testsupport.UpstreamStubs;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A call the gateway gives up on at its deadline lets go of the upstream's connection at once, also for
 * an answer the client reads whole ({@code b64_json}): otherwise the connection stays busy, and a warm
 * function's pool one connection short, until the upstream ends an answer nobody will read.
 */
@QuarkusTest
@WithTestResource(S3TestServer.class)
@WithTestResource(AbandonedUpstreamCallTest.TricklingUpstream.class)
class AbandonedUpstreamCallTest {

    @Test
    void answerReadWhole_abandonedAtTheDeadline_closesItsUpstreamConnectionAtOnce() throws Exception {
        TricklingUpstream.reset();

        assertEnvelope(Gateway.generate("{\"prompt\":\"otter\",\"response_format\":\"b64_json\"}"), 504,
                "server_error", "upstream_timeout");
        long answered = System.nanoTime();

        // The upstream would go on writing for TRICKLE_MS; its next write after the close fails.
        assertThat(TricklingUpstream.closed.await(TricklingUpstream.TRICKLE_MS, TimeUnit.MILLISECONDS))
                .as("the upstream saw its connection closed").isTrue();
        assertThat(TimeUnit.NANOSECONDS.toMillis(TricklingUpstream.closedAt.get() - answered))
                .as("ms from the 504 to the upstream's connection closing").isLessThan(1_500);
    }

    /** An upstream that sends a success at once and its body a few bytes every 50 ms, for 8 s. */
    public static class TricklingUpstream implements QuarkusTestResourceLifecycleManager {

        static final long TRICKLE_MS = 8_000;
        static volatile CountDownLatch closed = new CountDownLatch(1);
        static final AtomicLong closedAt = new AtomicLong();

        private HttpServer server;

        static void reset() {
            closed = new CountDownLatch(1);
            closedAt.set(0);
        }

        @Override
        public Map<String, String> start() {
            byte[] body = UpstreamStubs.imagesBody(List.of(TestImages.png(64, 64)), false)
                    .getBytes(StandardCharsets.UTF_8);
            try {
                server = LoopbackHttpServer.create();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            server.setExecutor(Executors.newCachedThreadPool());
            server.createContext(UpstreamStubs.PATH, exchange -> {
                exchange.getRequestBody().readAllBytes();
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                int piece = Math.max(1, (int) (body.length / (TRICKLE_MS / 50)));
                try (OutputStream out = exchange.getResponseBody()) {
                    for (int at = 0; at < body.length; at += piece) {
                        out.write(body, at, Math.min(piece, body.length - at));
                        out.flush();
                        Thread.sleep(50);
                    }
                } catch (IOException e) {
                    closedAt.compareAndSet(0, System.nanoTime());
                    closed.countDown();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            server.start();
            return Map.of("images.upstream.base-url", "http://127.0.0.1:" + server.getAddress().getPort(),
                    "images.upstream.api-key", "sk-upstream-test");
        }

        @Override
        public void stop() {
            if (server != null) {
                server.stop(0);
            }
        }
    }
}
