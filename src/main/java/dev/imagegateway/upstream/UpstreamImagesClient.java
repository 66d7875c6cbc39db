package dev.imagegateway.upstream;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegateway.config.GatewayConfig;
import dev.imagegateway.config.StartupSecrets;
import dev.imagegateway.error.UpstreamFailureException;
import dev.imagegateway.error.UpstreamFailureException.Reason;
import dev.imagegateway.error.UpstreamRejectedException;
import io.quarkus.logging.Log;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Calls the configured OpenAI-compatible backend with the gateway's own key and turns every answer
 * into either images or one of the contract's upstream errors.
 */
@ApplicationScoped
public class UpstreamImagesClient {

    private final UpstreamImagesApi api;
    private final String authorization;
    private final ObjectMapper mapper;

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
    }

    /** Asks the upstream for images; throws {@link UpstreamRejectedException} or {@link UpstreamFailureException}. */
    public UpstreamImagesResponse generate(UpstreamImageRequest request) {
        try (Response response = call(request)) {
            int status = response.getStatus();
            if (status >= 200 && status < 300) {
                return readImages(response);
            }
            throw failureFor(status, response);
        }
    }

    private Response call(UpstreamImageRequest request) {
        try {
            return api.generate(authorization, request);
        } catch (ProcessingException e) {
            if (isTimeout(e)) {
                throw new UpstreamFailureException(Reason.TIMEOUT, "The image backend did not answer in time.", e);
            }
            throw new UpstreamFailureException(Reason.UNAVAILABLE, "The image backend could not be reached.", e);
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
            if (isTimeout(e)) {
                throw new UpstreamFailureException(Reason.TIMEOUT, "The image backend did not finish its answer in time.", e);
            }
            throw new UpstreamFailureException(Reason.UNAVAILABLE, "The image backend broke off its answer.", e);
        }
    }

    private RuntimeException failureFor(int status, Response response) {
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
        String retryAfter = response.getHeaderString("Retry-After");
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
            if (t instanceof java.util.concurrent.TimeoutException || t instanceof java.net.SocketTimeoutException
                    || t.getClass().getSimpleName().contains("Timeout")) {
                return true;
            }
        }
        return false;
    }
}
