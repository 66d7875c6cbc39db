package dev.imagegateway.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.imagegateway.config.GatewayConfig;
import dev.imagegateway.error.PayloadTooLargeException;
import dev.imagegateway.generation.RequestRules;
import dev.imagegateway.wire.RequestReader;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code POST /v1/images/generations}: authenticate, read, validate, generate, answer. The body is
 * taken as bytes so that the gateway, not a message body reader, decides what malformed input gets.
 */
@Path("/v1/images/generations")
public class ImagesResource {

    private final GatewayKeys keys;
    private final RequestReader reader;
    private final RequestRules rules;
    private final PlanAnswers answers;
    private final int maxRequestBytes;

    public ImagesResource(GatewayKeys keys, RequestReader reader, RequestRules rules, PlanAnswers answers,
            GatewayConfig config) {
        this.keys = keys;
        this.reader = reader;
        this.rules = rules;
        this.answers = answers;
        this.maxRequestBytes = config.limits().maxRequestBytes();
    }

    @POST
    // stream: true in the body picks the event stream, as at OpenAI; Accept is dropped before matching (IgnoredAccept).
    @Produces({ MediaType.APPLICATION_JSON, ImageEventStream.CONTENT_TYPE })
    public Response generate(@HeaderParam("Authorization") String authorization,
            @HeaderParam("Content-Type") String contentType, @jakarta.ws.rs.core.Context Context lambda, byte[] body)
            throws JsonProcessingException {
        keys.authenticate(authorization);
        JsonContentType.require(contentType);
        if (body != null && body.length > maxRequestBytes) {
            throw PayloadTooLargeException.request(maxRequestBytes);
        }
        return answers.answer(rules.plan(reader.read(body)), lambda);
    }
}
