package dev.imagegateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegateway.config.GatewayConfig;
import dev.imagegateway.error.PayloadTooLargeException;
import dev.imagegateway.files.FileListing;
import dev.imagegateway.files.FileObject;
import dev.imagegateway.files.FileRules;
import dev.imagegateway.files.FileStore;
import dev.imagegateway.files.FileStore.FileWriter;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * OpenAI's Files API: {@code POST /v1/files} (multipart {@code file}, {@code purpose}, optional
 * {@code expires_after[anchor]} and {@code expires_after[seconds]}), {@code GET /v1/files},
 * {@code GET /v1/files/{id}}, {@code DELETE /v1/files/{id}} and {@code GET /v1/files/{id}/content}. Every
 * file belongs to the key that created it: another key's id is a 404, as one that never existed.
 */
@Path("/v1/files")
@Produces(MediaType.APPLICATION_JSON)
public class FilesResource {

    /** OpenAI's largest page, and its default. */
    static final int MAX_LIST_LIMIT = 10_000;
    /** Long enough to start a download; the link is made anew for every request. */
    static final Duration CONTENT_LINK_TTL = Duration.ofMinutes(10);
    private static final String DEFAULT_FILENAME = "file";
    private static final int CHUNK_BYTES = 64 * 1024;

    private final GatewayKeys keys;
    private final FileStore store;
    private final FileListing listing;
    private final FileRules rules;
    private final ObjectMapper mapper;
    private final int maxRequestBytes;
    private final int maxInlineBytes;
    private final int maxResponseBytes;

    public FilesResource(GatewayKeys keys, FileStore store, FileListing listing, FileRules rules, ObjectMapper mapper,
            GatewayConfig config) {
        this.keys = keys;
        this.store = store;
        this.listing = listing;
        this.rules = rules;
        this.mapper = mapper;
        this.maxRequestBytes = config.files().maxRequestBytes();
        this.maxInlineBytes = config.files().maxInlineBytes();
        this.maxResponseBytes = config.limits().maxResponseBytes();
    }

    @POST
    public FileObject create(@HeaderParam("Authorization") String authorization,
            @HeaderParam("Content-Type") String contentType, @Context HttpServerRequest request,
            @RestForm("file") FileUpload file, @RestForm("purpose") String purpose,
            @RestForm("expires_after[anchor]") String anchor, @RestForm("expires_after[seconds]") String seconds) {
        String owner = keys.authenticate(authorization).owner();
        MultipartForm.require(contentType);
        if (request.bytesRead() > maxRequestBytes) {
            throw PayloadTooLargeException.file(maxRequestBytes);
        }
        if (file == null) {
            throw FileRules.missing("file");
        }
        rules.purpose(purpose);
        // A part without a file name (an SDK given bytes alone) still is the file; OpenAI's batch rule needs one.
        String filename = file.fileName() == null || file.fileName().isEmpty() ? DEFAULT_FILENAME : file.fileName();
        rules.filename(purpose, file.fileName(), "file");
        Duration expiresAfter = rules.expiresAfter(anchor, seconds);
        FileWriter writer = store.write(owner, store.newId(), purpose, filename, expiresAfter);
        try (InputStream content = Files.newInputStream(file.uploadedFile())) {
            byte[] chunk = new byte[CHUNK_BYTES];
            int read;
            while ((read = content.read(chunk)) > 0) {
                writer.write(chunk, 0, read);
            }
            return writer.finish();
        } catch (IOException e) {
            writer.abort();
            // Unchecked: an IOException from here would read as the caller's unreadable body below.
            throw new UncheckedIOException("the request's uploaded file could not be read", e);
        } catch (RuntimeException e) {
            writer.abort();
            throw e;
        }
    }

    @GET
    public Response list(@HeaderParam("Authorization") String authorization, @QueryParam("purpose") String purpose,
            @QueryParam("limit") String limit, @QueryParam("order") String order, @QueryParam("after") String after) {
        String owner = keys.authenticate(authorization).owner();
        ListParameters query = ListParameters.of(limit, order, after, MAX_LIST_LIMIT);
        FileListing.Page page = listing.page(owner, Optional.ofNullable(purpose).filter(p -> !p.isEmpty()),
                query.limit(), query.ascending(), query.after());
        // Serialised here and written in one piece: a page of 10,000 files runs to megabytes, and the Lambda
        // HTTP bridge stalls on large answers that Jackson streams in chunks (quarkusio/quarkus#44551).
        try {
            return Response.ok(mapper.writeValueAsBytes(FileListPage.of(page.files(), page.hasMore())),
                    MediaType.APPLICATION_JSON_TYPE).build();
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @GET
    @Path("/{file_id}")
    public FileObject retrieve(@HeaderParam("Authorization") String authorization,
            @PathParam("file_id") String fileId) {
        return store.require(keys.authenticate(authorization).owner(), fileId, "id");
    }

    @DELETE
    @Path("/{file_id}")
    public FileDeleted delete(@HeaderParam("Authorization") String authorization, @PathParam("file_id") String fileId) {
        String owner = keys.authenticate(authorization).owner();
        store.require(owner, fileId, "id");
        store.delete(owner, fileId);
        return FileDeleted.of(fileId);
    }

    /**
     * The content, inline when it fits one Lambda answer, else a {@code 307} to a pre-signed GET of it,
     * which the official SDKs follow (their HTTP clients follow redirects and drop the gateway key on the
     * way to another host).
     */
    @GET
    @Path("/{file_id}/content")
    // Whatever the caller accepts: the official Node SDK asks for "application/binary".
    @Produces(MediaType.WILDCARD)
    public Response content(@HeaderParam("Authorization") String authorization, @PathParam("file_id") String fileId) {
        String owner = keys.authenticate(authorization).owner();
        FileObject file = store.require(owner, fileId, "id");
        if (!answersInline(file.bytes())) {
            return Response.temporaryRedirect(store.contentLink(owner, fileId, CONTENT_LINK_TTL)).build();
        }
        return Response.ok(store.read(owner, fileId, 0, (int) file.bytes()), MediaType.APPLICATION_OCTET_STREAM_TYPE)
                .build();
    }

    /**
     * Whether content of {@code bytes} bytes is answered inline: within {@code images.files.max-inline-bytes}
     * and, because the Lambda bridge sends a binary answer as base64 (4 characters per 3 bytes), within
     * {@code images.limits.max-response-bytes} once encoded: about 4.4 MB by default.
     */
    boolean answersInline(long bytes) {
        long base64 = (bytes + 2) / 3 * 4;
        return bytes <= maxInlineBytes && base64 <= maxResponseBytes;
    }

    // Only the form parser throws an IOException here: every method of this class keeps its own unchecked.
    @ServerExceptionMapper
    public Response unreadableBody(IOException e) {
        return OpenAiErrorMapper.answer(MultipartForm.unreadable());
    }
}
