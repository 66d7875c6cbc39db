package dev.imagegateway.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegateway.error.GatewayException;
import dev.imagegateway.error.UpstreamFailureException;
import dev.imagegateway.error.UpstreamFailureException.Reason;
import dev.imagegateway.upstream.UpstreamRetry.Outcome;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.MDC;

/**
 * Asks the upstream for a generation or an edit with {@code stream=true} and reads its event stream, event by
 * event, until the last {@code completed} event, the end of the stream, a break, or the deadline.
 *
 * <p>
 * It uses the same REST client as {@link UpstreamImagesClient}: a raw {@code Response} is handed
 * over with its body still streaming (quarkusio/quarkus#48807), so each event is read as it arrives.
 *
 * <p>
 * Failures before the upstream accepted the request (no connection, a refusal, no answer in time)
 * are thrown, with the same retries and the same errors as the whole-answer call: nothing has been
 * streamed yet, so the caller gets the ordinary error answer. Once the upstream answered 200, every
 * later failure is returned with the events received so far: the caller's stream ends with it.
 */
@ApplicationScoped
public class UpstreamImageStream {

    private static final String EVENT_STREAM = "text/event-stream";

    /** The events of one accepted stream, and what ended it early (null when it ended normally). */
    public record Result(List<UpstreamImageEvent> events, GatewayException failure) {
    }

    private final Upstreams upstreams;
    private final ObjectMapper mapper;
    private final Clock clock = Clock.systemUTC();

    UpstreamImageStream(Upstreams upstreams) {
        this.upstreams = upstreams;
        this.mapper = upstreams.json();
    }

    /**
     * Streams a generation of {@code images} images by {@code deadline}. Throws
     * {@link dev.imagegateway.error.UpstreamRejectedException} or {@link UpstreamFailureException} when
     * the upstream never accepted the request.
     */
    public Result generate(UpstreamRoute route, UpstreamImageCall request, int partialImages, int images,
            Instant deadline) {
        return upstreams.timed(() -> {
            // Fallbacks only until one upstream accepts: once a stream has begun, it is that upstream's.
            Accepted accepted = upstreams.inOrder(route, upstream -> new Accepted(upstream,
                    upstream.attempts(deadline, attempt -> attempt(upstream, request, partialImages, deadline))));
            return read(accepted.upstream(), accepted.response(), images, deadline);
        });
    }

    /** The stream an upstream accepted, with the connection it came on. */
    private record Accepted(UpstreamConnection upstream, Response response) {
    }

    private Outcome<Response> attempt(UpstreamConnection upstream, UpstreamImageCall request, int partialImages,
            Instant deadline) {
        Duration left = UpstreamRetry.left(deadline, clock);
        if (left.isZero()) {
            return Outcome.failed(UpstreamFailures.timeout(), null);
        }
        // The call returns once the status and headers are in, the body still streaming; it runs on
        // another thread only so that waiting for those headers is bounded by the deadline.
        Future<Response> call = upstream.calls().submit(() -> upstream.stream(request, partialImages));
        Response response;
        try {
            response = call.get(left.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            return Outcome.failed(UpstreamFailures.timeout(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.failed(new UpstreamFailureException(Reason.UNAVAILABLE,
                    "The call to the image backend was interrupted.", e), null);
        } catch (ExecutionException e) {
            // Retried only when the request cannot have reached the upstream (no connection was made).
            return Outcome.failed(UpstreamFailures.noAnswer(e.getCause()), null);
        }
        int status = response.getStatus();
        if (status >= 200 && status < 300) {
            return Outcome.succeeded(response);
        }
        try (response) {
            return Outcome.failed(upstream.failureFor(response), response.getHeaderString("Retry-After"));
        }
    }

    /**
     * Reads the accepted stream. From here on the upstream has started (and billed) the work: nothing is
     * retried, and whatever ends the stream early is returned with the events before it. The reading
     * runs on its own thread so that the deadline holds whatever a blocked read does.
     */
    private Result read(UpstreamConnection upstream, Response response, int images, Instant deadline) {
        List<UpstreamImageEvent> events = Collections.synchronizedList(new ArrayList<>());
        Map<String, Object> logContext = MDC.getMap();
        Future<GatewayException> reading = upstream.calls().submit(() -> {
            logContext.forEach(MDC::put);
            try {
                return readEvents(response, images, events);
            } finally {
                MDC.clear();
            }
        });
        GatewayException failure;
        try {
            failure = reading.get(UpstreamRetry.left(deadline, clock).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            failure = UpstreamFailures.timeout();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = new UpstreamFailureException(Reason.UNAVAILABLE, "The stream was interrupted.", e);
        } catch (ExecutionException e) {
            failure = new UpstreamFailureException(Reason.UNAVAILABLE, "The image backend broke off its stream.",
                    e.getCause());
        } finally {
            // Ends a read still blocked on a backend that went quiet; harmless after a normal end.
            closeQuietly(response);
            reading.cancel(true);
        }
        synchronized (events) {
            return new Result(List.copyOf(events), failure);
        }
    }

    /** Reads events into {@code events}; returns what ended the stream early, or null. */
    private GatewayException readEvents(Response response, int images, List<UpstreamImageEvent> events) {
        // A backend that names another type (a JSON answer that ignored stream=true, say) is not streaming;
        // one that names none is read as a stream and judged by its events.
        String contentType = Optional.ofNullable(response.getHeaderString("Content-Type")).orElse(EVENT_STREAM);
        if (!contentType.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
            return new UpstreamFailureException(Reason.INVALID_RESPONSE,
                    "The image backend did not answer with an event stream.");
        }
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(response.readEntity(InputStream.class), StandardCharsets.UTF_8))) {
            ServerSentEvents stream = new ServerSentEvents(lines);
            int completed = 0;
            for (ServerSentEvents.Event event = stream.next(); event != null; event = stream.next()) {
                if ("error".equals(event.event()) || isError(event.data())) {
                    return UpstreamFailures.forErrorEvent(event.data(), mapper);
                }
                UpstreamImageEvent parsed;
                try {
                    parsed = mapper.readValue(event.data(), UpstreamImageEvent.class);
                } catch (IOException e) {
                    return new UpstreamFailureException(Reason.INVALID_RESPONSE,
                            "The image backend's stream holds an event that is not valid JSON.", e);
                }
                events.add(parsed);
                if (parsed.isCompleted() && ++completed == images) {
                    // Every image is in; a backend that keeps the connection open has nothing more to say.
                    return null;
                }
            }
            return null;
        } catch (IOException | ProcessingException e) {
            return new UpstreamFailureException(Reason.UNAVAILABLE, "The image backend broke off its stream.", e);
        }
    }

    /** Whether an event's JSON is an error: OpenAI marks them with {@code type: error} or an {@code error} object. */
    private boolean isError(String data) {
        if (!data.contains("error")) {
            return false; // the common case, decided without parsing megabytes of base64 twice
        }
        try {
            JsonNode node = mapper.readTree(data);
            return node != null && (node.path("error").isObject() || "error".equals(node.path("type").asText(null)));
        } catch (IOException e) {
            return false;
        }
    }

    private static void closeQuietly(Response response) {
        try {
            response.close();
        } catch (RuntimeException e) {
            Log.debug("Closing the upstream stream failed");
        }
    }
}
