package dev.imagegateway.upstream;

import dev.imagegateway.error.GatewayException;
import dev.imagegateway.error.UpstreamFailureException;
import dev.imagegateway.error.UpstreamFailureException.Reason;
import dev.imagegateway.upstream.UpstreamRetry.Outcome;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Calls the configured OpenAI-compatible backend with the gateway's own key, retries what is safe to
 * retry within the request's deadline, and turns every answer into either images or one of the
 * upstream errors of docs/api.md.
 */
@ApplicationScoped
public class UpstreamImagesClient {

    private final Upstreams upstreams;
    private final StreamingImagesReader reader;
    private final Clock clock = Clock.systemUTC();

    UpstreamImagesClient(Upstreams upstreams) {
        this.upstreams = upstreams;
        this.reader = new StreamingImagesReader(upstreams.json());
    }

    /**
     * Asks the route's upstreams for images, by {@code deadline}; with a {@code sink}, each image is
     * decoded as it is read and handed to it, and the result then carries no base64 text.
     */
    public UpstreamImagesResponse generate(UpstreamRoute route, UpstreamImageCall request, Instant deadline,
            DecodedImageSink sink) {
        return upstreams.timed(() -> upstreams.inOrder(route, upstream -> upstream.attempts(deadline,
                attempt -> attempt(upstream, request, deadline, sink))));
    }

    private Outcome<UpstreamImagesResponse> attempt(UpstreamConnection upstream, UpstreamImageCall request,
            Instant deadline, DecodedImageSink sink) {
        Duration left = UpstreamRetry.left(deadline, clock);
        if (left.isZero()) {
            return Outcome.failed(UpstreamFailures.timeout(), null);
        }
        // The whole exchange runs on another thread so that the request's own thread can stop waiting at
        // the deadline, whatever the upstream does: a blocked stream read cannot be interrupted reliably.
        Exchange exchange = new Exchange(upstream, request, sink);
        Future<Outcome<UpstreamImagesResponse>> running = upstream.calls().submit(exchange::run);
        try {
            return running.get(left.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            exchange.abandon();
            running.cancel(true);
            return Outcome.failed(UpstreamFailures.timeout(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.abandon();
            return Outcome.failed(new UpstreamFailureException(Reason.UNAVAILABLE,
                    "The call to the image backend was interrupted.", e), null);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GatewayException failure) {
                return Outcome.failed(failure, null);
            }
            throw new UpstreamFailureException(Reason.UNAVAILABLE, "The call to the image backend failed.", e.getCause());
        }
    }

    /** One request and answer with the upstream, on a thread of its own. */
    private final class Exchange {
        private final UpstreamConnection upstream;
        private final UpstreamImageCall request;
        private final DecodedImageSink sink;
        private final AtomicBoolean abandoned = new AtomicBoolean();
        private volatile Response response;

        Exchange(UpstreamConnection upstream, UpstreamImageCall request, DecodedImageSink sink) {
            this.upstream = upstream;
            this.request = request;
            // Once the caller has given up, no further image may start an upload nobody will answer for.
            this.sink = sink == null ? null : (index, image) -> {
                if (abandoned.get()) {
                    throw new UpstreamFailureException(Reason.TIMEOUT, "The image backend did not answer in time.");
                }
                sink.accept(index, image);
            };
        }

        Outcome<UpstreamImagesResponse> run() {
            try {
                // An answer kept whole is read whole by the client; one decoded as it arrives is streamed.
                response = sink == null ? whole() : upstream.generate(request);
            } catch (ProcessingException e) {
                return Outcome.failed(UpstreamFailures.noAnswer(e), null);
            } catch (InterruptedException e) {
                // Abandoned at the deadline: the caller has its answer already, this one is not read.
                Thread.currentThread().interrupt();
                return Outcome.failed(UpstreamFailures.timeout(), null);
            }
            if (abandoned.get()) {
                response.close();
                return Outcome.failed(UpstreamFailures.timeout(), null);
            }
            try (Response answer = response) {
                int status = answer.getStatus();
                if (status >= 200 && status < 300) {
                    // From here on the upstream has done (and billed) the work: nothing below is retried.
                    return Outcome.succeeded(readImages(answer, sink));
                }
                return Outcome.failed(upstream.failureFor(answer), answer.getHeaderString("Retry-After"));
            }
        }

        /**
         * The answer with its body already read. The client's {@code Uni} hands over a failure as its cause,
         * without the {@link ProcessingException} that {@link UpstreamConnection#generate} wraps it in, so
         * the kinds are told apart here: a connection never made (nothing bought, safe to try again or the
         * next upstream) and a timeout are what {@link UpstreamFailures#noAnswer} makes of them; anything
         * else broke the answer off after the upstream may have done (and billed) the work, and is never
         * retried.
         */
        private Response whole() throws InterruptedException {
            CompletableFuture<Response> answer = upstream.generateWhole(request).subscribeAsCompletionStage();
            try {
                return answer.get();
            } catch (InterruptedException e) {
                // Abandoned at the deadline: cancelling the subscription resets the HTTP request, which
                // closes its connection now rather than when the upstream ends an answer nobody reads. One
                // that completed just before is closed unread.
                answer.cancel(false);
                answer.thenAccept(Response::close);
                throw e;
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() instanceof CompletionException wrapped && wrapped.getCause() != null
                        ? wrapped.getCause()
                        : e.getCause();
                if (cause instanceof ProcessingException beforeAnswer) {
                    throw beforeAnswer;
                }
                if (UpstreamRetry.isConnectFailure(cause) || UpstreamFailures.isTimeout(cause)) {
                    throw UpstreamFailures.noAnswer(cause);
                }
                throw new UpstreamFailureException(Reason.UNAVAILABLE, "The image backend broke off its answer.", cause);
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

    private UpstreamImagesResponse readImages(Response response, DecodedImageSink sink) {
        if (response.getStatus() == Response.Status.NO_CONTENT.getStatusCode()) {
            // A success without a body is an answer, just not an images answer: the same failure in
            // both modes, decided before the REST client is asked for a body it does not have.
            throw new UpstreamFailureException(Reason.INVALID_RESPONSE,
                    "The image backend answered with no content (status " + response.getStatus() + ").");
        }
        try (InputStream body = response.readEntity(InputStream.class)) {
            return reader.read(body, sink);
        } catch (IOException | ProcessingException e) {
            throw new UpstreamFailureException(Reason.UNAVAILABLE, "The image backend broke off its answer.", e);
        }
    }

}
