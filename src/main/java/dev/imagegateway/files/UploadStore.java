package dev.imagegateway.files;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegateway.config.GatewayConfig;
import dev.imagegateway.error.StorageUnavailableException;
import dev.imagegateway.storage.NewestFirstIds;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Uploads of the Uploads API in the bucket: {@code uploads/{owner}/{id}/upload.json} holds the
 * {@link UploadRecord}, {@code uploads/{owner}/{id}/parts/{part_id}} each part's bytes, until the upload
 * is completed or cancelled (and, whatever happens, until the bucket's lifecycle rule removes them). The
 * record changes only by conditional PUT ({@code If-Match} its ETag), so that of a complete and a cancel
 * that race, exactly one wins.
 */
@ApplicationScoped
public class UploadStore {

    public static final String PREFIX = "uploads/";

    private final S3Client s3;
    private final ObjectMapper mapper;
    private final String bucket;

    @Inject
    public UploadStore(S3Client s3, ObjectMapper mapper, GatewayConfig config) {
        this(s3, mapper, config.bucket());
    }

    UploadStore(S3Client s3, ObjectMapper mapper, String bucket) {
        this.s3 = s3;
        this.mapper = mapper;
        this.bucket = bucket;
    }

    /** An upload's record with the ETag that a later {@link #replace} must match. */
    public record Stored(UploadRecord record, String etag) {
    }

    /** Stores a new upload's record; its id is new, so nothing is overwritten. */
    public void create(String owner, UploadRecord record) {
        try {
            s3.putObject(put -> put.bucket(bucket).key(recordKey(owner, record.upload().id()))
                    .contentType("application/json").ifNoneMatch("*"), RequestBody.fromBytes(json(record)));
        } catch (S3Exception e) {
            if (!(isLostRace(e) && landed(owner, record))) {
                throw unavailable(e);
            }
        } catch (SdkException e) {
            throw unavailable(e);
        }
    }

    /** The caller's upload, unless it does not exist or is not theirs. */
    public Optional<Stored> find(String owner, String id) {
        if (!NewestFirstIds.looksLike(Upload.ID_PREFIX, id)) {
            return Optional.empty();
        }
        try {
            ResponseBytes<GetObjectResponse> object = s3
                    .getObjectAsBytes(get -> get.bucket(bucket).key(recordKey(owner, id)));
            return Optional.of(new Stored(mapper.readValue(object.asByteArray(), UploadRecord.class),
                    object.response().eTag()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("upload record " + id + " in the bucket is not readable", e);
        } catch (SdkException e) {
            throw unavailable(e);
        }
    }

    /**
     * Replaces the record if it is still the one read with {@code etag}.
     *
     * @return false when another request changed it first
     */
    public boolean replace(String owner, UploadRecord record, String etag) {
        try {
            s3.putObject(put -> put.bucket(bucket).key(recordKey(owner, record.upload().id()))
                    .contentType("application/json").ifMatch(etag), RequestBody.fromBytes(json(record)));
            return true;
        } catch (S3Exception e) {
            if (isLostRace(e)) {
                return landed(owner, record);
            }
            throw unavailable(e);
        } catch (SdkException e) {
            throw unavailable(e);
        }
    }

    /** 412: the condition no longer holds; 409: S3's answer to two conditional writes at once. */
    private static boolean isLostRace(S3Exception e) {
        return e.statusCode() == 412 || e.statusCode() == 409;
    }

    /**
     * Whether the record in the bucket is the one just written. The SDK retries a PUT whose answer it did
     * not get (a connection dropped while the request was being written); when the first attempt landed,
     * the retry's condition fails on the write's own result, which is no lost race.
     */
    private boolean landed(String owner, UploadRecord record) {
        return find(owner, record.upload().id()).map(stored -> stored.record().equals(record)).orElse(false);
    }

    /** Stores a part's bytes, streamed from the file the request's body was parsed into. */
    public void putPart(String owner, String uploadId, String partId, Path content) {
        try {
            s3.putObject(put -> put.bucket(bucket).key(partKey(owner, uploadId, partId)), RequestBody.fromFile(content));
        } catch (SdkException e) {
            throw unavailable(e);
        }
    }

    /** The upload's parts, by id, with their sizes in bytes. */
    public Map<String, Long> parts(String owner, String uploadId) {
        Map<String, Long> parts = new LinkedHashMap<>();
        String prefix = partsPrefix(owner, uploadId);
        try {
            for (S3Object object : s3.listObjectsV2Paginator(list -> list.bucket(bucket).prefix(prefix)).contents()) {
                parts.put(object.key().substring(prefix.length()), object.size());
            }
        } catch (SdkException e) {
            throw unavailable(e);
        }
        return parts;
    }

    /** A part's bytes, streamed; the caller closes the stream. */
    public InputStream openPart(String owner, String uploadId, String partId) {
        try {
            return s3.getObject(get -> get.bucket(bucket).key(partKey(owner, uploadId, partId)));
        } catch (SdkException e) {
            throw unavailable(e);
        }
    }

    /**
     * Removes the upload's parts once they are joined or no longer wanted. A failure is only logged: the
     * upload's status already says what happened, and the lifecycle rule removes what is left.
     */
    public void deleteParts(String owner, String uploadId) {
        try {
            List<ObjectIdentifier> keys = parts(owner, uploadId).keySet().stream()
                    .map(partId -> ObjectIdentifier.builder().key(partKey(owner, uploadId, partId)).build())
                    .toList();
            // DeleteObjects takes at most 1,000 keys per call.
            for (int from = 0; from < keys.size(); from += 1000) {
                List<ObjectIdentifier> batch = keys.subList(from, Math.min(keys.size(), from + 1000));
                s3.deleteObjects(delete -> delete.bucket(bucket).delete(d -> d.objects(batch).quiet(true)));
            }
        } catch (SdkException | StorageUnavailableException e) {
            Log.warnf("Could not remove the parts of upload %s: %s", uploadId, e.getClass().getSimpleName());
        }
    }

    static String recordKey(String owner, String id) {
        return PREFIX + owner + "/" + id + "/upload.json";
    }

    static String partsPrefix(String owner, String uploadId) {
        return PREFIX + owner + "/" + uploadId + "/parts/";
    }

    static String partKey(String owner, String uploadId, String partId) {
        return partsPrefix(owner, uploadId) + partId;
    }

    private byte[] json(UploadRecord record) {
        try {
            return mapper.writeValueAsBytes(record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static StorageUnavailableException unavailable(SdkException e) {
        Log.errorf("Upload store call failed: %s: %s", e.getClass().getSimpleName(), e.getMessage());
        return new StorageUnavailableException("The upload store is unavailable; retry later.", e);
    }
}
