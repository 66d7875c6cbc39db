package dev.imagegateway.api;

import dev.imagegateway.config.GatewayConfig;
import dev.imagegateway.error.PayloadTooLargeException;
import dev.imagegateway.files.FileRules;
import dev.imagegateway.files.Upload;
import dev.imagegateway.files.UploadCompletion;
import dev.imagegateway.files.UploadPart;
import dev.imagegateway.files.Uploads;
import dev.imagegateway.wire.UploadCompleteRequest;
import dev.imagegateway.wire.UploadCreateRequest;
import dev.imagegateway.wire.UploadRequestReader;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * OpenAI's Uploads API, for files larger than one request carries: {@code POST /v1/uploads} announces
 * the file, {@code POST /v1/uploads/{id}/parts} (multipart {@code data}) adds each part,
 * {@code POST /v1/uploads/{id}/complete} joins them in the order given, {@code POST /v1/uploads/{id}/cancel}
 * gives up. Uploads belong to the key that created them, as files do.
 */
@Path("/v1/uploads")
@Produces(MediaType.APPLICATION_JSON)
public class UploadsResource {

    private final GatewayKeys keys;
    private final UploadRequestReader reader;
    private final FileRules rules;
    private final Uploads uploads;
    private final UploadCompletion completion;
    private final int maxJsonBytes;
    private final int maxPartBytes;

    public UploadsResource(GatewayKeys keys, UploadRequestReader reader, FileRules rules, Uploads uploads,
            UploadCompletion completion, GatewayConfig config) {
        this.keys = keys;
        this.reader = reader;
        this.rules = rules;
        this.uploads = uploads;
        this.completion = completion;
        this.maxJsonBytes = config.limits().maxRequestBytes();
        this.maxPartBytes = config.files().maxRequestBytes();
    }

    @POST
    public Upload create(@HeaderParam("Authorization") String authorization,
            @HeaderParam("Content-Type") String contentType, byte[] body) {
        String owner = keys.authenticate(authorization).owner();
        UploadCreateRequest request = reader.create(json(contentType, body));
        return uploads.create(owner, request.filename(), request.purpose(), request.bytes(), request.mimeType(),
                rules.expiresAfter(request.expiresAfterAnchor(), request.expiresAfterSeconds()));
    }

    @POST
    @Path("/{upload_id}/parts")
    public UploadPart addPart(@HeaderParam("Authorization") String authorization,
            @HeaderParam("Content-Type") String contentType, @Context HttpServerRequest request,
            @PathParam("upload_id") String uploadId, @RestForm("data") FileUpload data) {
        String owner = keys.authenticate(authorization).owner();
        MultipartForm.require(contentType);
        if (request.bytesRead() > maxPartBytes) {
            throw PayloadTooLargeException.part(maxPartBytes);
        }
        if (data == null) {
            throw FileRules.missing("data");
        }
        return uploads.addPart(owner, uploadId, data.uploadedFile());
    }

    @POST
    @Path("/{upload_id}/complete")
    public Upload complete(@HeaderParam("Authorization") String authorization,
            @HeaderParam("Content-Type") String contentType, @PathParam("upload_id") String uploadId, byte[] body) {
        String owner = keys.authenticate(authorization).owner();
        UploadCompleteRequest request = reader.complete(json(contentType, body));
        return completion.complete(owner, uploadId, request.partIds(), request.md5());
    }

    @POST
    @Path("/{upload_id}/cancel")
    public Upload cancel(@HeaderParam("Authorization") String authorization, @PathParam("upload_id") String uploadId) {
        return uploads.cancel(keys.authenticate(authorization).owner(), uploadId);
    }

    private byte[] json(String contentType, byte[] body) {
        JsonContentType.require(contentType);
        if (body != null && body.length > maxJsonBytes) {
            throw PayloadTooLargeException.request(maxJsonBytes);
        }
        return body;
    }

    // Only the form parser (or reading a body) throws an IOException here: the caller's body is unreadable.
    @ServerExceptionMapper
    public Response unreadableBody(IOException e) {
        return OpenAiErrorMapper.answer(MultipartForm.unreadable());
    }
}
