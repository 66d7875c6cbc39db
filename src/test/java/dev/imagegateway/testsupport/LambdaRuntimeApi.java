package dev.imagegateway.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Lambda Runtime API (version 2018-06-01) on 127.0.0.1, as the Lambda service offers it to a runtime:
 * {@code GET /runtime/invocation/next} hands out one queued event at a time, the runtime posts the answer
 * to {@code /runtime/invocation/{id}/response} or {@code /error}, and a failed start-up to
 * {@code /runtime/init/error} (or {@code /runtime/restore/error} after a simulated restore). {@link #invoke} queues an event
 * and waits for its outcome.
 */
public final class LambdaRuntimeApi implements AutoCloseable {

    private static final String BASE = "/2018-06-01/runtime/";

    /** How an invocation ended: {@code error} is false for a response, true for a reported function error. */
    public record Outcome(boolean error, byte[] body, long answeredAtNanos) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private record Invocation(String id, byte[] event, long deadlineMs) {
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final BlockingQueue<Invocation> queue = new LinkedBlockingQueue<>();
    private final Map<String, CompletableFuture<Outcome>> outcomes = new ConcurrentHashMap<>();
    private final CompletableFuture<String> initError = new CompletableFuture<>();
    private final AtomicLong firstPollNanos = new AtomicLong();
    private final AtomicLong restoreNanos = new AtomicLong();

    public LambdaRuntimeApi() throws IOException {
        server = LoopbackHttpServer.create();
        server.setExecutor(threads);
        server.createContext(BASE, this::handle);
        server.start();
    }

    /** The value for {@code AWS_LAMBDA_RUNTIME_API}. */
    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** When the runtime first asked for an event (System.nanoTime), or 0 if it has not yet. */
    public long firstPollNanos() {
        return firstPollNanos.get();
    }

    /**
     * When the runtime asked to be restored ({@code GET restore/next}, System.nanoTime), or 0: a runtime
     * initialised with {@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start} asks once it has run the
     * {@code beforeCheckpoint} hooks, where Lambda would take the snapshot; it is answered at once, as a
     * restore, and the runtime runs the {@code afterRestore} hooks and polls for its first event.
     */
    public long restoreNanos() {
        return restoreNanos.get();
    }

    /** Delivers {@code event} with {@code timeout} as the function's remaining time, and waits for the outcome. */
    public Outcome invoke(byte[] event, Duration timeout, Duration wait) throws Exception {
        String id = UUID.randomUUID().toString();
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        outcomes.put(id, outcome);
        queue.add(new Invocation(id, event, System.currentTimeMillis() + timeout.toMillis()));
        CompletableFuture<Object> first = CompletableFuture.anyOf(outcome, initError);
        try {
            Object result = first.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (result instanceof String init) {
                throw new AssertionError("The function failed to start: " + init);
            }
            return (Outcome) result;
        } catch (TimeoutException e) {
            throw new AssertionError("No answer within " + wait, e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring(BASE.length());
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (path.equals("invocation/next") && exchange.getRequestMethod().equals("GET")) {
                firstPollNanos.compareAndSet(0, System.nanoTime());
                next(exchange);
            } else if (path.equals("restore/next") && exchange.getRequestMethod().equals("GET")) {
                restoreNanos.compareAndSet(0, System.nanoTime());
                send(exchange, 200, new byte[0]);
            } else if (path.equals("init/error") || path.equals("restore/error")) {
                initError.complete(new String(body, StandardCharsets.UTF_8));
                send(exchange, 202, "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8));
            } else if (path.startsWith("invocation/") && (path.endsWith("/response") || path.endsWith("/error"))) {
                String id = path.substring("invocation/".length(), path.lastIndexOf('/'));
                CompletableFuture<Outcome> outcome = outcomes.get(id);
                if (outcome == null) {
                    send(exchange, 400, "{\"errorMessage\":\"unknown request id\"}".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                outcome.complete(new Outcome(path.endsWith("/error"), body, System.nanoTime()));
                send(exchange, 202, "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8));
            } else {
                send(exchange, 404, new byte[0]);
            }
        }
    }

    private void next(HttpExchange exchange) throws IOException {
        Invocation invocation;
        try {
            invocation = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        exchange.getResponseHeaders().add("Lambda-Runtime-Aws-Request-Id", invocation.id());
        exchange.getResponseHeaders().add("Lambda-Runtime-Deadline-Ms", Long.toString(invocation.deadlineMs()));
        exchange.getResponseHeaders().add("Lambda-Runtime-Invoked-Function-Arn",
                "arn:aws:lambda:us-east-1:123456789012:function:image-gateway:live");
        exchange.getResponseHeaders().add("Lambda-Runtime-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=0");
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        send(exchange, 200, invocation.event());
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
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
