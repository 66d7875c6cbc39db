package dev.imagegateway.upstream;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

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
}
