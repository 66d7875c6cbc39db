package dev.imagegateway.upstream;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegateway.config.GatewayConfig;
import dev.imagegateway.error.GatewayException;
import dev.imagegateway.config.StartupSecrets;
import dev.imagegateway.error.UpstreamFailureException;
import dev.imagegateway.error.UpstreamFailureException.Reason;
import dev.imagegateway.error.UpstreamRejectedException;
import dev.imagegateway.observability.RequestLogFields;
import io.quarkus.logging.Log;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
    private final Clock clock = Clock.systemUTC();

    public UpstreamImagesClient(GatewayConfig config, StartupSecrets secrets, ObjectMapper mapper) {
        long timeoutMillis = config.upstream().timeout().toMillis();
        this.api = QuarkusRestClientBuilder.newBuilder()
                .baseUri(config.upstream().baseUrl())
                .connectTimeout(Math.min(timeoutMillis, 10_000), TimeUnit.MILLISECONDS)
                .readTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
                .disableDefaultMapper(true)
                .build(UpstreamImagesApi.class);
        this.authorization = secrets.upstreamApiKey().map(key -> "Bearer " + key).orElse(null);
        this.mapper = mapper;
        this.retry = new UpstreamRetry(config.upstream().maxAttempts(), config.upstream().retryInitialBackoff(), clock,
                () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * Asks the upstream for images, by {@code deadline}; throws {@link UpstreamRejectedException} or
     * {@link UpstreamFailureException}.
     */
    public UpstreamImagesResponse generate(UpstreamImageRequest request, Deadline deadline) {
        for (int attempt = 1; ; attempt++) {
            Attempt outcome = attempt(request, deadline);
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

    private Attempt attempt(UpstreamImageRequest request, Deadline deadline) {
        Duration left = deadline.remaining(clock);
        if (left.isZero()) {
            return Attempt.failed(timeout(), false, null);
        }
        CompletableFuture<Response> call = api.generate(authorization, request).toCompletableFuture();
        Response response;
        try {
            response = call.get(left.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            return Attempt.failed(timeout(), false, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Attempt.failed(new UpstreamFailureException(Reason.UNAVAILABLE,
                    "The call to the image backend was interrupted.", e), false, null);
        } catch (ExecutionException e) {
            return Attempt.failed(noAnswer(e.getCause()), UpstreamRetry.isConnectFailure(e.getCause()), null);
        }
        try (response) {
            int status = response.getStatus();
            if (status >= 200 && status < 300) {
                // From here on the upstream has done (and billed) the work: nothing below is retried.
                return Attempt.succeeded(readImages(response));
            }
            String retryAfter = response.getHeaderString("Retry-After");
            return Attempt.failed(failureFor(status, response, retryAfter), UpstreamRetry.isRetryableStatus(status),
                    retryAfter);
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

    private UpstreamImagesResponse readImages(Response response) {
        byte[] body = readBody(response);
        UpstreamImagesResponse images;
        try {
            images = mapper.readValue(body, UpstreamImagesResponse.class);
        } catch (IOException e) {
            throw invalid("The image backend's answer is not valid JSON.", e);
        }
        if (images == null || images.data() == null || images.data().isEmpty()) {
            throw invalid("The image backend's answer holds no images.", null);
        }
        return images;
    }

    private byte[] readBody(Response response) {
        try {
            return response.readEntity(byte[].class);
        } catch (ProcessingException e) {
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
