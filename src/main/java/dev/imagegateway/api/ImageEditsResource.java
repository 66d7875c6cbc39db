package dev.imagegateway.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.imagegateway.config.GatewayConfig;
import dev.imagegateway.error.InvalidRequestException;
import dev.imagegateway.error.PayloadTooLargeException;
import dev.imagegateway.generation.EditRules;
import dev.imagegateway.generation.GenerationPlan;
import dev.imagegateway.observability.RequestLogFields;
import dev.imagegateway.wire.EditRequest;
import dev.imagegateway.wire.EditRequestReader;
import dev.imagegateway.wire.MultipartBody;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
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
    private final PlanAnswers answers;
    private final int maxBytes;

    public ImageEditsResource(GatewayKeys keys, EditRequestReader reader, EditRules rules, PlanAnswers answers,
            GatewayConfig config) {
        this.keys = keys;
        this.reader = reader;
        this.rules = rules;
        this.answers = answers;
        this.maxBytes = config.limits().maxEditRequestBytes();
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
        RequestLogFields.put(RequestLogFields.EDIT_FORM, request.form().name().toLowerCase(Locale.ROOT));
        RequestLogFields.put(RequestLogFields.EDIT_IMAGES, request.images().size());
        return answers.answer(plan, lambda);
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
}
