package dev.imagegateway.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegateway.config.GatewayConfig;
import dev.imagegateway.generation.Deadline;
import dev.imagegateway.generation.GenerationPlan;
import dev.imagegateway.generation.ImageGeneration;
import dev.imagegateway.generation.RequestDeadlines;
import dev.imagegateway.generation.StreamedGeneration;
import dev.imagegateway.lambda.DirectAnswerContext;
import dev.imagegateway.observability.RequestLogFields;
import dev.imagegateway.wire.ImagesResponse;
import io.quarkus.arc.ClientProxy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;

/**
 * What the generations and edits routes do once a request is a {@link GenerationPlan}: note it in the
 * request line, give it its deadline, run it whole or streamed, and answer. One place, so the two
 * routes cannot drift apart in how they log, time and write their answers.
 */
@ApplicationScoped
public class PlanAnswers {

    private final ImageGeneration generation;
    private final StreamedGeneration streamedGeneration;
    private final ImageEventStream eventStream;
    private final RequestId requestId;
    private final ObjectMapper mapper;
    private final RequestDeadlines deadlines;
    private final boolean logPrompts;

    public PlanAnswers(ImageGeneration generation, StreamedGeneration streamedGeneration, ImageEventStream eventStream,
            RequestId requestId, ObjectMapper mapper, RequestDeadlines deadlines, GatewayConfig config) {
        this.generation = generation;
        this.streamedGeneration = streamedGeneration;
        this.eventStream = eventStream;
        this.requestId = requestId;
        this.mapper = mapper;
        this.deadlines = deadlines;
        this.logPrompts = config.log().prompts();
    }

    /** @param lambda the invocation's context; null outside Lambda (no invocation deadline) */
    Response answer(GenerationPlan plan, Context lambda) throws JsonProcessingException {
        record(plan);
        Duration invocationLeft = lambda == null ? null : Duration.ofMillis(lambda.getRemainingTimeInMillis());
        Deadline deadline = deadlines.of(plan, invocationLeft);
        if (plan.stream()) {
            return eventStream.answer(streamedGeneration.generate(plan, requestId.value(), deadline));
        }
        ImagesResponse response = generation.generate(plan, requestId.value(), deadline).response();
        // Serialised here and written in one piece: the Lambda HTTP bridge stalls on large answers that
        // Jackson streams in chunks (quarkusio/quarkus#44551), and base64 answers run to megabytes.
        byte[] json = mapper.writeValueAsBytes(response);
        // The injected context is a request-scoped client proxy; the object behind it is what the handler passed.
        if (ClientProxy.unwrap(lambda) instanceof DirectAnswerContext direct) {
            // In Lambda the handler writes the body past the bridge, which copies it byte by byte.
            direct.hold(json);
            return Response.ok(new byte[0], MediaType.APPLICATION_JSON_TYPE).build();
        }
        return Response.ok(json, MediaType.APPLICATION_JSON_TYPE).build();
    }

    private void record(GenerationPlan plan) {
        RequestLogFields.put(RequestLogFields.MODEL, plan.modelName());
        RequestLogFields.put(RequestLogFields.N, plan.n());
        RequestLogFields.put(RequestLogFields.SIZE, plan.size() == null ? "auto" : plan.size());
        RequestLogFields.put(RequestLogFields.RESPONSE_FORMAT, plan.responseFormat().wireName());
        if (logPrompts) {
            RequestLogFields.put(RequestLogFields.PROMPT, plan.prompt());
        }
    }
}
