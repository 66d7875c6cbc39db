package dev.imagegateway.upstream;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegateway.config.GatewayConfig;
import dev.imagegateway.config.StartupSecrets;
import dev.imagegateway.error.GatewayException;
import dev.imagegateway.error.UpstreamFailureException.Reason;
import dev.imagegateway.error.UpstreamFailureException;
import dev.imagegateway.error.UpstreamRejectedException;
import dev.imagegateway.observability.RequestLogFields;
import io.quarkus.logging.Log;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.context.ManagedExecutor;

/**
 * Calls the configured OpenAI-compatible backend with the gateway's own key, retries what is safe to
 * retry within the request's deadline, and turns every answer into either images or one of the
 * contract's upstream errors.
 */
@ApplicationScoped
public class UpstreamImagesClient {

    private final UpstreamImagesApi api;
    private final String authorization;
    private final ObjectMapper mapper;
    private final UpstreamRetry retry;
    private final StreamingImagesReader reader;
    private final ExecutorService calls;
    private final Clock clock = Clock.systemUTC();

    public UpstreamImagesClient(GatewayConfig config, StartupSecrets secrets, ObjectMapper mapper,
            ManagedExecutor calls) {
        long timeoutMillis = config.upstream().timeout().toMillis();
        this.api = QuarkusRestClientBuilder.newBuilder()
                .baseUri(config.upstream().baseUrl())
                .connectTimeout(Math.min(timeoutMillis, 10_000), TimeUnit.MILLISECONDS)
                .readTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
                .disableDefaultMapper(true)
                .build(UpstreamImagesApi.class);
        this.authorization = secrets.upstreamApiKey().map(key -> "Bearer " + key).orElse(null);
        this.mapper = mapper;
        this.reader = new StreamingImagesReader(mapper);
        this.calls = calls;
        this.retry = new UpstreamRetry(config.upstream().maxAttempts(), config.upstream().retryInitialBackoff(), clock,
                () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * Asks the upstream for images, by {@code deadline}; throws {@link UpstreamRejectedException} or
     * {@link UpstreamFailureException}.
     */
    public UpstreamImagesResponse generate(UpstreamImageRequest request, Deadline deadline) {
        return generate(request, deadline, null);
    }

    /**
     * Like {@link #generate(UpstreamImageRequest, Deadline)}, but each image is decoded as it is read and
     * handed to {@code sink}; the result then carries no base64 text.
     */
    public UpstreamImagesResponse generate(UpstreamImageRequest request, Deadline deadline, DecodedImageSink sink) {
        for (int attempt = 1; ; attempt++) {
            Attempt outcome = attempt(request, deadline, sink);
            RequestLogFields.put(RequestLogFields.UPSTREAM_ATTEMPTS, attempt);
            if (outcome.images() != null) {
                return outcome.images();
            }
            Optional<Duration> wait = outcome.retryable()
                    ? retry.delayBeforeNext(attempt, outcome.retryAfter(), deadline)
                    : Optional.empty();
            if (wait.isEmpty()) {
                throw outcome.failure();
            }
            Log.infof("Upstream attempt %d failed (%s); retrying in %d ms", attempt,
                    outcome.failure().code(), wait.get().toMillis());
            sleep(wait.get(), outcome.failure());
        }
    }

    /**
     * One whole exchange, decoding into {@code sink}, with a stand-in upstream at {@code sampleUpstream}
     * (on loopback): loads and initialises the REST client, its connection handling and the streaming
     * reader before the first real request (cold-start priming). The real client is not used, so no
     * connection to the real upstream is made or kept.
     */
    public UpstreamImagesResponse exchangeSample(URI sampleUpstream, UpstreamImageRequest request,
            DecodedImageSink sink) throws IOException {
        UpstreamImagesApi sample = QuarkusRestClientBuilder.newBuilder()
                .baseUri(sampleUpstream)
                .connectTimeout(2, TimeUnit.SECONDS)
                .readTimeout(5, TimeUnit.SECONDS)
                .disableDefaultMapper(true)
                .build(UpstreamImagesApi.class);
        try (Response response = sample.generate(null, request);
                InputStream body = response.readEntity(InputStream.class)) {
            return reader.read(body, sink);
        } finally {
            if (sample instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    Log.debug("Sample REST client did not close cleanly");
                }
            }
        }
    }

    /** One attempt: images, or a failure that says whether another attempt is safe. */
    private record Attempt(UpstreamImagesResponse images, GatewayException failure, boolean retryable,
            String retryAfter) {

        static Attempt succeeded(UpstreamImagesResponse images) {
            return new Attempt(images, null, false, null);
        }

        static Attempt failed(GatewayException failure, boolean retryable, String retryAfter) {
            return new Attempt(null, failure, retryable, retryAfter);
        }
    }

    private Attempt attempt(UpstreamImageRequest request, Deadline deadline, DecodedImageSink sink) {
        Duration left = deadline.remaining(clock);
        if (left.isZero()) {
            return Attempt.failed(timeout(), false, null);
        }
        // The whole exchange runs on another thread so that the request's own thread can stop waiting at
        // the deadline, whatever the upstream does: a blocked stream read cannot be interrupted reliably.
        Exchange exchange = new Exchange(request, sink);
        Future<Attempt> running = calls.submit(exchange::run);
        try {
            return running.get(left.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            exchange.abandon();
            running.cancel(true);
            return Attempt.failed(timeout(), false, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.abandon();
            return Attempt.failed(new UpstreamFailureException(Reason.UNAVAILABLE,
                    "The call to the image backend was interrupted.", e), false, null);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GatewayException failure) {
                return Attempt.failed(failure, false, null);
            }
            throw new UpstreamFailureException(Reason.UNAVAILABLE, "The call to the image backend failed.", e.getCause());
        }
    }

    /** One request and answer with the upstream, on a thread of its own. */
    private final class Exchange {
        private final UpstreamImageRequest request;
        private final DecodedImageSink sink;
        private final AtomicBoolean abandoned = new AtomicBoolean();
        private volatile Response response;

        Exchange(UpstreamImageRequest request, DecodedImageSink sink) {
            this.request = request;
            // Once the caller has given up, no further image may start an upload nobody will answer for.
            this.sink = sink == null ? null : (index, image) -> {
                if (abandoned.get()) {
                    throw new UpstreamFailureException(Reason.TIMEOUT, "The image backend did not answer in time.");
                }
                sink.accept(index, image);
            };
        }

        Attempt run() {
            try {
                response = api.generate(authorization, request);
            } catch (ProcessingException e) {
                return Attempt.failed(noAnswer(e), UpstreamRetry.isConnectFailure(e), null);
            }
            if (abandoned.get()) {
                response.close();
                return Attempt.failed(timeout(), false, null);
            }
            try (Response answer = response) {
                int status = answer.getStatus();
                if (status >= 200 && status < 300) {
                    // From here on the upstream has done (and billed) the work: nothing below is retried.
                    return Attempt.succeeded(readImages(answer, sink));
                }
                String retryAfter = answer.getHeaderString("Retry-After");
                return Attempt.failed(failureFor(status, answer, retryAfter), UpstreamRetry.isRetryableStatus(status),
                        retryAfter);
            }
        }

        void abandon() {
            abandoned.set(true);
            Response current = response;
            if (current != null) {
                try {
                    current.close();
                } catch (RuntimeException e) {
                    // closing is a courtesy to the connection pool; the answer is discarded either way
                }
            }
        }
    }

    private static UpstreamFailureException timeout() {
        return new UpstreamFailureException(Reason.TIMEOUT, "The image backend did not answer in time.");
    }

    private static UpstreamFailureException noAnswer(Throwable cause) {
        if (isTimeout(cause)) {
            return new UpstreamFailureException(Reason.TIMEOUT, "The image backend did not answer in time.", cause);
        }
        return new UpstreamFailureException(Reason.UNAVAILABLE, "The image backend could not be reached.", cause);
    }

    private static void sleep(Duration wait, GatewayException failure) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure;
        }
    }

    private UpstreamImagesResponse readImages(Response response, DecodedImageSink sink) {
        try (InputStream body = response.readEntity(InputStream.class)) {
            return reader.read(body, sink);
        } catch (IOException | ProcessingException e) {
            throw new UpstreamFailureException(Reason.UNAVAILABLE, "The image backend broke off its answer.", e);
        }
    }

    private GatewayException failureFor(int status, Response response, String retryAfter) {
        Log.warnf("Upstream answered status %d", status);
        if (status >= 500) {
            return new UpstreamFailureException(Reason.UNAVAILABLE, "The image backend failed (status " + status + ").");
        }
        if (status == 401 || status == 403) {
            // The caller's key was fine; ours was refused. Passing the upstream's text on could echo our key.
            return new UpstreamFailureException(Reason.UNAVAILABLE,
                    "The image backend refused the gateway's credentials (status " + status + ").");
        }
        if (status < 400) {
            return invalid("The image backend answered with unexpected status " + status + ".", null);
        }
        UpstreamErrorBody.Detail detail = readError(response);
        if (status == 429) {
            String message = detail.message() != null ? detail.message() : "The image backend is rate limiting requests.";
            return new UpstreamRejectedException(429, "rate_limit_error", detail.param(), detail.code(), message, retryAfter);
        }
        String message = detail.message() != null ? detail.message()
                : "The image backend rejected the request (status " + status + ").";
        String type = detail.type() != null ? detail.type() : "invalid_request_error";
        return new UpstreamRejectedException(status, type, detail.param(), detail.code(), message, retryAfter);
    }

    private UpstreamErrorBody.Detail readError(Response response) {
        try {
            UpstreamErrorBody body = mapper.readValue(response.readEntity(byte[].class), UpstreamErrorBody.class);
            if (body != null && body.error() != null) {
                return body.error();
            }
        } catch (IOException | RuntimeException e) {
            Log.debug("Upstream error body is not the OpenAI envelope");
        }
        return new UpstreamErrorBody.Detail(null, null, null, null);
    }

    private static UpstreamFailureException invalid(String message, Throwable cause) {
        return new UpstreamFailureException(Reason.INVALID_RESPONSE, message, cause);
    }

    private static boolean isTimeout(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t instanceof java.net.SocketTimeoutException
                    || t.getClass().getSimpleName().contains("Timeout")) {
                return true;
            }
        }
        return false;
    }
}
