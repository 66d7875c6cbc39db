package dev.imagegateway.batch.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.imagegateway.config.GatewayConfig;
import dev.imagegateway.error.StorageUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The {@link FinalizeCheckpoint} of a batch, written only with {@code If-None-Match: *} (the first) or
 * {@code If-Match} (each next one): of two finalizers continuing the same checkpoint, one saves and goes
 * on, the other learns it lost and stops.
 */
@ApplicationScoped
public class FinalizeCheckpoints {

    private final S3Client s3;
    private final String bucket;

    public FinalizeCheckpoints(S3Client s3, GatewayConfig config) {
        this.s3 = s3;
        this.bucket = config.bucket();
    }

    /** A checkpoint as read, with the ETag the next save must match. */
    record Versioned(FinalizeCheckpoint checkpoint, String etag) {
    }

    static String key(String owner, String id) {
        return BatchStore.PREFIX + owner + "/" + id + "/finalize.json";
    }

    Optional<Versioned> find(String owner, String id) {
        try {
            ResponseBytes<GetObjectResponse> bytes = s3.getObjectAsBytes(get -> get.bucket(bucket).key(key(owner, id)));
            return Optional.of(new Versioned(BatchRecord.JSON.readValue(bytes.asByteArray(), FinalizeCheckpoint.class),
                    bytes.response().eTag()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("finalize checkpoint of " + id + " is not readable", e);
        } catch (SdkException e) {
            throw unavailable(e);
        }
    }

    /**
     * Saves {@code checkpoint} over the version {@code etag} (null: there is none yet); returns the new
     * ETag, or empty when another finalizer saved first.
     */
    Optional<String> save(String owner, String id, FinalizeCheckpoint checkpoint, String etag) {
        byte[] json;
        try {
            json = BatchRecord.JSON.writeValueAsBytes(checkpoint);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return Optional.of(s3.putObject(put -> {
                put.bucket(bucket).key(key(owner, id)).contentType("application/json");
                if (etag == null) {
                    put.ifNoneMatch("*");
                } else {
                    put.ifMatch(etag);
                }
            }, RequestBody.fromBytes(json)).eTag());
        } catch (S3Exception e) {
            if (e.statusCode() != 412 && e.statusCode() != 409) {
                throw unavailable(e);
            }
            // The SDK retries a PUT whose answer was lost, and the retry finds what its first attempt wrote:
            // that is still this finalizer's save.
            return find(owner, id).filter(stored -> same(stored.checkpoint(), json)).map(Versioned::etag);
        } catch (SdkException e) {
            throw unavailable(e);
        }
    }

    private static boolean same(FinalizeCheckpoint stored, byte[] json) {
        try {
            return BatchRecord.JSON.readTree(json).toString().equals(BatchRecord.JSON.valueToTree(stored).toString());
        } catch (IOException e) {
            return false;
        }
    }

    /** Removes the checkpoint of a finished batch; left behind, it only costs its bytes. */
    void delete(String owner, String id) {
        try {
            s3.deleteObject(delete -> delete.bucket(bucket).key(key(owner, id)));
        } catch (SdkException e) {
            io.quarkus.logging.Log.warnf("Could not remove the finalize checkpoint of %s: %s", id,
                    e.getClass().getSimpleName());
        }
    }

    private static StorageUnavailableException unavailable(SdkException e) {
        io.quarkus.logging.Log.errorf("Finalize checkpoint call failed: %s: %s", e.getClass().getSimpleName(),
                e.getMessage());
        return new StorageUnavailableException("The batch store is unavailable; retry later.", e);
    }
}
