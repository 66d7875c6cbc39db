package dev.imagegateway.upstream;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegateway.config.GatewayConfig;
import dev.imagegateway.config.StartupSecrets;
import dev.imagegateway.error.GatewayException;
import dev.imagegateway.upstream.UpstreamRetry.Outcome;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.function.IntFunction;
import org.eclipse.microprofile.context.ManagedExecutor;

/**
 * What the whole-answer and the streamed call share: one REST client to the configured upstream (one
 * connection pool), the gateway's own key, the retry policy, the JSON mapper for the upstream's
 * answers, and the threads calls run on. Built once, at start-up.
 */
@ApplicationScoped
class UpstreamConnection {

    private static final String EVENT_STREAM = "text/event-stream";

    private final UpstreamImagesApi api;
    private final String authorization;
    private final UpstreamRetry retry;
    private final ObjectMapper json;
    private final ExecutorService calls;

    UpstreamConnection(GatewayConfig config, StartupSecrets secrets, ObjectMapper mapper, ManagedExecutor calls) {
        this.api = UpstreamImagesApi.connect(config.upstream().baseUrl(), config.upstream().timeout());
        this.authorization = secrets.upstreamApiKey().map(key -> "Bearer " + key).orElse(null);
        this.retry = UpstreamRetry.of(config.upstream(), Clock.systemUTC());
        this.json = UpstreamJson.readerOf(mapper);
        this.calls = calls;
    }

    /** Asks for a whole answer; returns once status and headers are in, the body still streaming. */
    Response generate(UpstreamImageRequest request) {
        return api.generate(authorization, request);
    }

    /** Asks for an event stream; returns once status and headers are in, the events still to come. */
    Response stream(UpstreamImageStreamRequest request) {
        return api.stream(authorization, EVENT_STREAM, request);
    }

    /** Attempts until one succeeds or no further one is safe or fits before {@code deadline}. */
    <T> T attempts(Deadline deadline, IntFunction<Outcome<T>> attempt) {
        return retry.attempts(deadline, attempt);
    }

    /** What a non-success answer means for the caller (its body is read, and unreadable is fine). */
    GatewayException failureFor(Response response) {
        int status = response.getStatus();
        byte[] body;
        try {
            body = response.readEntity(byte[].class);
        } catch (RuntimeException e) {
            body = new byte[0]; // an unreadable error body still gets the status's meaning
        }
        return UpstreamFailures.forStatus(status, body, response.getHeaderString("Retry-After"), json);
    }

    /** The mapper for the upstream's JSON, which allows the long strings of large images. */
    ObjectMapper json() {
        return json;
    }

    ExecutorService calls() {
        return calls;
    }
}
