package dev.imagegateway.upstream;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;
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
import org.jboss.resteasy.reactive.client.api.ClientMultipartForm;
import org.jboss.resteasy.reactive.client.api.QuarkusRestClientProperties;
import org.jboss.resteasy.reactive.client.impl.multipart.PausableHttpPostRequestEncoder;

/**
 * The upstream's images endpoints, generations and edits. It answers a raw {@link Response} so that
 * {@link UpstreamImagesClient}
 * decides what every status and body means; the default exception mapping is switched off. A raw
 * {@code Response} is handed back as soon as its headers are in, its body still streaming
 * (quarkusio/quarkus#48807), which is what lets images be decoded and stored while they arrive.
 *
 * <p>
 * The asynchronous variants ({@code Uni<Response>}) are for answers that are kept whole anyway
 * ({@code b64_json}): for them the client reads the whole body on the event loop before it completes,
 * where a streamed body reaches the reading thread one socket read at a time, each asked for only after
 * the last was taken ({@code fetch(1)}), two thread wake-ups per 64 KB. A {@code Uni}, not a
 * {@code CompletionStage}: cancelling its subscription makes the client reset the HTTP request, so a call
 * abandoned at its deadline closes its connection at once; a {@code CompletionStage} cannot cancel it.
 */
@Path("/v1/images")
interface UpstreamImagesApi {

    int MAX_CHUNK_BYTES = 1 << 20;

    @POST
    @Path("/generations")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Response generate(@HeaderParam("Authorization") String authorization, UpstreamImageRequest request);

    /** {@link #generate}, the body read whole before the answer completes. */
    @POST
    @Path("/generations")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Response> generateWhole(@HeaderParam("Authorization") String authorization,
            UpstreamImageRequest request);

    /**
     * The same endpoint with {@code stream=true}: the body is the upstream's event stream, read as it
     * arrives. Accept is a plain header here, not {@code @Produces}, so the client hands the raw stream
     * over instead of treating it as server-sent events of its own.
     */
    @POST
    @Path("/generations")
    @Consumes(MediaType.APPLICATION_JSON)
    Response stream(@HeaderParam("Authorization") String authorization, @HeaderParam("Accept") String accept,
            UpstreamImageStreamRequest request);

    /** An edit as JSON, whole ({@code Accept} JSON) or streamed ({@code Accept} an event stream). */
    @POST
    @Path("/edits")
    @Consumes(MediaType.APPLICATION_JSON)
    Response edit(@HeaderParam("Authorization") String authorization, @HeaderParam("Accept") String accept,
            UpstreamEditRequest request);

    /** The JSON edit, its body read whole before the answer completes. */
    @POST
    @Path("/edits")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Response> editWhole(@HeaderParam("Authorization") String authorization,
            UpstreamEditRequest request);

    /** An edit as {@code multipart/form-data}, whole or streamed as the form's fields say. */
    @POST
    @Path("/edits")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    Response edit(@HeaderParam("Authorization") String authorization, @HeaderParam("Accept") String accept,
            ClientMultipartForm form);

    /** The multipart edit, its body read whole before the answer completes. */
    @POST
    @Path("/edits")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Response> editWhole(@HeaderParam("Authorization") String authorization,
            ClientMultipartForm form);

    /** A client for {@code base}; every call is bounded by {@code timeout}, connecting by at most 10 s. */
    static UpstreamImagesApi connect(URI base, Duration timeout) {
        long timeoutMillis = timeout.toMillis();
        return QuarkusRestClientBuilder.newBuilder()
                .baseUri(base)
                .connectTimeout(Math.min(timeoutMillis, 10_000), TimeUnit.MILLISECONDS)
                .readTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
                .disableDefaultMapper(true)
                // The answer's body reaches a blocking reader one piece at a time, each handed over from the
                // event loop and asked for again (a wake-up both ways); the default 8 KB pieces meant sixty
                // hand-overs for one 1024x1024 image. Pieces now end only where a socket read ends (at most
                // 64 KB), never buffering more than has arrived.
                .property(QuarkusRestClientProperties.MAX_CHUNK_SIZE, MAX_CHUNK_BYTES)
                // One part per image, each named as given ("image[]" repeated): the default (RFC 1738)
                // mode would nest parts of the same name in a multipart/mixed part, which OpenAI does not read.
                .property(QuarkusRestClientProperties.MULTIPART_ENCODER_MODE,
                        PausableHttpPostRequestEncoder.EncoderMode.HTML5)
                .build(UpstreamImagesApi.class);
    }
}
