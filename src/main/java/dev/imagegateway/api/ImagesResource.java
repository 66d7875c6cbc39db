package dev.imagegateway.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegateway.config.GatewayConfig;
import dev.imagegateway.error.PayloadTooLargeException;
import dev.imagegateway.generation.Deadline;
import dev.imagegateway.generation.GenerationPlan;
import dev.imagegateway.generation.ImageGeneration;
import dev.imagegateway.generation.RequestDeadlines;
import dev.imagegateway.generation.RequestRules;
import dev.imagegateway.generation.StreamedGeneration;
import dev.imagegateway.observability.RequestLogFields;
import dev.imagegateway.wire.ImagesResponse;
import dev.imagegateway.wire.RequestReader;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;

/**
 * {@code POST /v1/images/generations}: authenticate, read, validate, generate, answer. The body is
 * taken as bytes so that the gateway, not a message body reader, decides what malformed input gets.
 */
@Path("/v1/images/generations")
public class ImagesResource {

    private final GatewayKeys keys;
    private final RequestReader reader;
    private final RequestRules rules;
    private final ImageGeneration generation;
    private final StreamedGeneration streamedGeneration;
    private final ImageEventStream eventStream;
    private final RequestId requestId;
    private final int maxRequestBytes;
    private final ObjectMapper mapper;
    private final RequestDeadlines deadlines;
    private final boolean logPrompts;

    public ImagesResource(GatewayKeys keys, RequestReader reader, RequestRules rules, ImageGeneration generation,
            StreamedGeneration streamedGeneration, ImageEventStream eventStream, RequestId requestId,
            GatewayConfig config, ObjectMapper mapper, RequestDeadlines deadlines) {
        this.keys = keys;
        this.reader = reader;
        this.rules = rules;
        this.generation = generation;
        this.streamedGeneration = streamedGeneration;
        this.eventStream = eventStream;
        this.requestId = requestId;
        this.maxRequestBytes = config.limits().maxRequestBytes();
        this.mapper = mapper;
        this.deadlines = deadlines;
        this.logPrompts = config.log().prompts();
    }

    @POST
    // Callers that ask for an event stream may say so in Accept; errors are JSON either way.
    @Produces({ MediaType.APPLICATION_JSON, ImageEventStream.CONTENT_TYPE })
    public Response generate(@HeaderParam("Authorization") String authorization,
            @HeaderParam("Content-Type") String contentType, @jakarta.ws.rs.core.Context Context lambda, byte[] body)
            throws JsonProcessingException {
        keys.authenticate(authorization);
        JsonContentType.require(contentType);
        if (body != null && body.length > maxRequestBytes) {
            throw PayloadTooLargeException.request(maxRequestBytes);
        }
        GenerationPlan plan = rules.plan(reader.read(body));
        recordPlan(plan);
        Duration invocationLeft = lambda == null ? null : Duration.ofMillis(lambda.getRemainingTimeInMillis());
        Deadline deadline = deadlines.of(plan, invocationLeft);
        if (plan.stream()) {
            return eventStream.answer(streamedGeneration.generate(plan, requestId.value(), deadline));
        }
        ImagesResponse response = generation.generate(plan, requestId.value(), deadline).response();
        // Serialised here and written in one piece: the Lambda HTTP bridge stalls on large answers that
        // Jackson streams in chunks (quarkusio/quarkus#44551), and base64 answers run to megabytes.
        return Response.ok(mapper.writeValueAsBytes(response), MediaType.APPLICATION_JSON_TYPE).build();
    }

    private void recordPlan(GenerationPlan plan) {
        RequestLogFields.put(RequestLogFields.MODEL, plan.modelName());
        RequestLogFields.put(RequestLogFields.N, plan.n());
        RequestLogFields.put(RequestLogFields.SIZE, plan.size() == null ? "auto" : plan.size());
        RequestLogFields.put(RequestLogFields.RESPONSE_FORMAT, plan.responseFormat().wireName());
        if (logPrompts) {
            RequestLogFields.put(RequestLogFields.PROMPT, plan.prompt());
        }
    }
}
