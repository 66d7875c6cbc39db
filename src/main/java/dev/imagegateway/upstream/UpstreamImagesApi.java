package dev.imagegateway.upstream;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletionStage;

/**
 * The upstream's images endpoint. It answers a raw {@link Response} so that {@link UpstreamImagesClient}
 * decides what every status and body means; the default exception mapping is switched off. It is
 * asynchronous so that each attempt can be given exactly the time left before the request's deadline.
 */
@Path("/v1/images/generations")
interface UpstreamImagesApi {

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    CompletionStage<Response> generate(@HeaderParam("Authorization") String authorization, UpstreamImageRequest request);
}
