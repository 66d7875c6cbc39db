package dev.imagegateway.upstream;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegateway.error.GatewayException;
import dev.imagegateway.upstream.UpstreamRetry.Outcome;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.function.IntFunction;

/**
 * What the whole-answer and the streamed call share for one upstream: one REST client (one connection
 * pool), the gateway's key for it, the retry policy, the JSON mapper for the upstream's answers, and the
 * threads calls run on. Built once per upstream, at start-up, by {@link Upstreams}.
 */
final class UpstreamConnection {

    private static final String EVENT_STREAM = "text/event-stream";
    private static final String JSON = "application/json";

    private final UpstreamImagesApi api;
    private final String authorization;
    private final UpstreamRetry retry;
    private final ObjectMapper json;
    private final ExecutorService calls;

    private final String name;
    private final Duration timeout;

    UpstreamConnection(String name, URI baseUrl, Duration timeout, Optional<String> apiKey, UpstreamRetry retry,
            ObjectMapper json, ExecutorService calls) {
        this.name = name;
        this.timeout = timeout;
        this.api = UpstreamImagesApi.connect(baseUrl, timeout);
        this.authorization = apiKey.map(key -> "Bearer " + key).orElse(null);
        this.retry = retry;
        this.json = json;
        this.calls = calls;
    }

    /** The upstream's name: {@code default}, or its {@code images.upstreams} name. */
    String name() {
        return name;
    }

    /** How long one call to this upstream may take. */
    Duration timeout() {
        return timeout;
    }

    /** Asks for a whole answer; returns once status and headers are in, the body still streaming. */
    Response generate(UpstreamImageCall call) {
        // Java 17 has no pattern matching in switch; the interface is sealed, so these are all the cases.
        if (call instanceof UpstreamImageCall.Generation generation) {
            return api.generate(authorization, generation.request());
        }
        if (call instanceof UpstreamImageCall.JsonEdit edit) {
            return api.edit(authorization, JSON, edit.request());
        }
        return api.edit(authorization, JSON, ((UpstreamImageCall.MultipartEdit) call).form().toClientForm());
    }

    /**
     * Asks for a whole answer and completes once its body is in too, read on the event loop: for an
     * answer that is kept whole ({@code b64_json}), which a streamed body would hand over 64 KB at a time.
     */
    Uni<Response> generateWhole(UpstreamImageCall call) {
        if (call instanceof UpstreamImageCall.Generation generation) {
            return api.generateWhole(authorization, generation.request());
        }
        if (call instanceof UpstreamImageCall.JsonEdit edit) {
            return api.editWhole(authorization, edit.request());
        }
        return api.editWhole(authorization, ((UpstreamImageCall.MultipartEdit) call).form().toClientForm());
    }

    /** Asks for an event stream; returns once status and headers are in, the events still to come. */
    Response stream(UpstreamImageCall call, int partialImages) {
        if (call instanceof UpstreamImageCall.Generation generation) {
            return api.stream(authorization, EVENT_STREAM, UpstreamImageStreamRequest.of(generation.request(),
                    partialImages));
        }
        if (call instanceof UpstreamImageCall.JsonEdit edit) {
            return api.edit(authorization, EVENT_STREAM, edit.request().streamed(partialImages));
        }
        return api.edit(authorization, EVENT_STREAM,
                ((UpstreamImageCall.MultipartEdit) call).form().streamed(partialImages).toClientForm());
    }

    /** Attempts until one succeeds or no further one is safe or fits before {@code deadline}. */
    <T> T attempts(Instant deadline, IntFunction<Outcome<T>> attempt) {
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
