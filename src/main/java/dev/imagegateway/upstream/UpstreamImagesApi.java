package dev.imagegateway.upstream;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The upstream's images endpoint. It answers a raw {@link Response} so that {@link UpstreamImagesClient}
 * decides what every status and body means; the default exception mapping is switched off. A raw
 * {@code Response} is handed back as soon as its headers are in, its body still streaming
 * (quarkusio/quarkus#48807), which is what lets images be decoded and stored while they arrive.
 */
@Path("/v1/images/generations")
interface UpstreamImagesApi {

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Response generate(@HeaderParam("Authorization") String authorization, UpstreamImageRequest request);

    /**
     * The same endpoint with {@code stream=true}: the body is the upstream's event stream, read as it
     * arrives. Accept is a plain header here, not {@code @Produces}, so the client hands the raw stream
     * over instead of treating it as server-sent events of its own.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    Response stream(@HeaderParam("Authorization") String authorization, @HeaderParam("Accept") String accept,
            UpstreamImageStreamRequest request);

    /** A client for {@code base}; every call is bounded by {@code timeout}, connecting by at most 10 s. */
    static UpstreamImagesApi connect(URI base, Duration timeout) {
        long timeoutMillis = timeout.toMillis();
        return QuarkusRestClientBuilder.newBuilder()
                .baseUri(base)
                .connectTimeout(Math.min(timeoutMillis, 10_000), TimeUnit.MILLISECONDS)
                .readTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
                .disableDefaultMapper(true)
                .build(UpstreamImagesApi.class);
    }
}
