package dev.imagegateway.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegateway.config.GatewayConfig;
import dev.imagegateway.error.InvalidRequestException;
import dev.imagegateway.error.PayloadTooLargeException;
import dev.imagegateway.generation.Deadline;
import dev.imagegateway.generation.EditRules;
import dev.imagegateway.generation.GenerationPlan;
import dev.imagegateway.generation.ImageGeneration;
import dev.imagegateway.generation.RequestDeadlines;
import dev.imagegateway.generation.StreamedGeneration;
import dev.imagegateway.observability.RequestLogFields;
import dev.imagegateway.wire.EditRequest;
import dev.imagegateway.wire.EditRequestReader;
import dev.imagegateway.wire.ImagesResponse;
import dev.imagegateway.wire.MultipartBody;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.Locale;

/**
 * {@code POST /v1/images/edits}: authenticate, read either form (multipart or JSON), validate, edit,
 * answer, exactly as {@link ImagesResource} does for generations. The body is taken as bytes, read once
 * by the Lambda bridge: the multipart reader works over that array and the upstream form is built from
 * views into it, so an uploaded image is held in memory once.
 */
@Path("/v1/images/edits")
public class ImageEditsResource {

    private final GatewayKeys keys;
    private final EditRequestReader reader;
    private final EditRules rules;
    private final ImageGeneration generation;
    private final StreamedGeneration streamedGeneration;
    private final ImageEventStream eventStream;
    private final RequestId requestId;
    private final int maxBytes;
    private final ObjectMapper mapper;
    private final RequestDeadlines deadlines;
    private final boolean logPrompts;

    public ImageEditsResource(GatewayKeys keys, EditRequestReader reader, EditRules rules, ImageGeneration generation,
            StreamedGeneration streamedGeneration, ImageEventStream eventStream, RequestId requestId,
            GatewayConfig config, ObjectMapper mapper, RequestDeadlines deadlines) {
        this.keys = keys;
        this.reader = reader;
        this.rules = rules;
        this.generation = generation;
        this.streamedGeneration = streamedGeneration;
        this.eventStream = eventStream;
        this.requestId = requestId;
        this.maxBytes = config.limits().maxEditRequestBytes();
        this.mapper = mapper;
        this.deadlines = deadlines;
        this.logPrompts = config.log().prompts();
    }

    @POST
    @Produces({ MediaType.APPLICATION_JSON, ImageEventStream.CONTENT_TYPE })
    public Response edit(@HeaderParam("Authorization") String authorization,
            @HeaderParam("Content-Type") String contentType, @jakarta.ws.rs.core.Context Context lambda, byte[] body)
            throws JsonProcessingException {
        Caller caller = keys.authenticate(authorization);
        boolean multipart = MultipartBody.isFormData(contentType);
        if (!multipart) {
            requireJson(contentType);
        }
        if (body != null && body.length > maxBytes) {
            throw PayloadTooLargeException.editRequest(body.length, maxBytes);
        }
        EditRequest request = multipart ? reader.readMultipart(body, contentType) : reader.readJson(body);
        GenerationPlan plan = rules.plan(request, caller.owner());
        record(plan, request);
        Duration invocationLeft = lambda == null ? null : Duration.ofMillis(lambda.getRemainingTimeInMillis());
        Deadline deadline = deadlines.of(plan, invocationLeft);
        if (plan.stream()) {
            return eventStream.answer(streamedGeneration.generate(plan, requestId.value(), deadline));
        }
        ImagesResponse response = generation.generate(plan, requestId.value(), deadline).response();
        // In one piece, as for generations: the Lambda bridge stalls on chunked answers (quarkusio/quarkus#44551).
        return Response.ok(mapper.writeValueAsBytes(response), MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** An edit is JSON or multipart; any other type gets OpenAI's answer naming both. */
    private static void requireJson(String contentType) {
        try {
            JsonContentType.require(contentType);
        } catch (InvalidRequestException e) {
            throw new InvalidRequestException(null, e.code(), "Invalid Content-Type header. This API method accepts"
                    + " 'multipart/form-data' (image files) or 'application/json' (images by image_url or file_id)"
                    + " requests; please try again with one of them.");
        }
    }

    private void record(GenerationPlan plan, EditRequest request) {
        RequestLogFields.put(RequestLogFields.MODEL, plan.modelName());
        RequestLogFields.put(RequestLogFields.N, plan.n());
        RequestLogFields.put(RequestLogFields.SIZE, plan.size() == null ? "auto" : plan.size());
        RequestLogFields.put(RequestLogFields.RESPONSE_FORMAT, plan.responseFormat().wireName());
        RequestLogFields.put(RequestLogFields.EDIT_FORM, request.form().name().toLowerCase(Locale.ROOT));
        RequestLogFields.put(RequestLogFields.EDIT_IMAGES, request.images().size());
        if (logPrompts) {
            RequestLogFields.put(RequestLogFields.PROMPT, plan.prompt());
        }
    }
}
