package dev.imagegateway.upstream;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.eclipse.microprofile.context.ManagedExecutor;

/**
 * A whole exchange with a stand-in upstream on loopback, for cold-start priming only: it loads and
 * initialises the REST client, its connection handling and the streaming reader before the first real
 * request. It builds a throwaway client of its own, so the real upstreams' clients never connect
 * anywhere during start-up, and it is kept apart from {@link UpstreamImagesClient} so that the request
 * path carries no priming code.
 */
@ApplicationScoped
public class UpstreamSampleExchange {

    private final StreamingImagesReader reader;
    private final ManagedExecutor calls;

    UpstreamSampleExchange(Upstreams upstreams, ManagedExecutor calls) {
        this.reader = new StreamingImagesReader(upstreams.json());
        this.calls = calls;
    }

    /**
     * Sends {@code request} to {@code sampleUpstream} and reads its answer, decoding into {@code sink} (or
     * not), on the executor real calls run on ({@link UpstreamImagesClient}), so that its threads and
     * context propagation are started too.
     */
    public UpstreamImagesResponse exchange(URI sampleUpstream, UpstreamImageRequest request, DecodedImageSink sink)
            throws IOException {
        try {
            return calls.submit(() -> exchangeHere(sampleUpstream, request, sink)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("The sample exchange was interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("The sample exchange failed", e.getCause());
        }
    }

    private static Response whole(UpstreamImagesApi sample, UpstreamImageRequest request) throws IOException {
        try {
            return sample.generateWhole(null, request).subscribeAsCompletionStage().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("The sample exchange was interrupted", e);
        } catch (ExecutionException e) {
            throw new IOException("The sample exchange failed", e.getCause());
        }
    }

    private UpstreamImagesResponse exchangeHere(URI sampleUpstream, UpstreamImageRequest request,
            DecodedImageSink sink) throws IOException {
        UpstreamImagesApi sample = UpstreamImagesApi.connect(sampleUpstream, Duration.ofSeconds(5));
        // The same call as the real path takes: streamed when decoding as it arrives, read whole otherwise.
        try (Response response = sink == null ? whole(sample, request) : sample.generate(null, request);
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
}
