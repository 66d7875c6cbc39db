package dev.imagegateway.batch.engine;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.imagegateway.config.GatewayConfig;
import dev.imagegateway.error.StorageUnavailableException;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.UUID;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Who may call the upstream for a line: {@code batches/api/{owner}/{batch_id}/claims/{line:06d}.json},
 * {@code {until, message_id, token}}, created with {@code If-None-Match: *} before the call, so that of two
 * copies of a line message running at once only one calls the upstream. A claim lasts until its
 * holder's invocation has ended ({@code until}); one found past that is a worker that died, and is
 * taken over with {@code If-Match} on its ETag, so that again only one delivery wins it. A claim is
 * removed only when its line failed retry-safe (nothing was billed) and goes back to the queue; the
 * others stay, behind the result, until the bucket's lifecycle removes the batch.
 */
@ApplicationScoped
public class LineClaims {

    /** Tries before giving up on a claim that keeps changing under us (the delivery then defers). */
    private static final int CLAIM_ATTEMPTS = 3;

    private final S3Client s3;
    private final String bucket;

    public LineClaims(S3Client s3, GatewayConfig config) {
        this.s3 = s3;
        this.bucket = config.bucket();
    }

    /** What a claim holds. */
    record Lease(@JsonProperty("until") long until, @JsonProperty("message_id") String messageId,
            @JsonProperty("token") String token) {
    }

    /**
     * What {@link #claim} found: the line is this delivery's ({@code acquired}, {@code takenOver} when a
     * dead worker's claim was taken), or held by another until {@code heldUntil}.
     */
    record Claim(boolean acquired, boolean takenOver, Instant heldUntil) {
    }

    static String claimKey(String owner, String id, int line) {
        return BatchStore.PREFIX + owner + "/" + id + "/claims/" + String.format("%06d", line) + ".json";
    }

    /** Claims line {@code line} until {@code until} for message {@code messageId}. */
    Claim claim(String owner, String id, int line, String messageId, Instant until, Instant now) {
        String key = claimKey(owner, id, line);
        // Ours alone: two copies of one message share its id, and an SDK retry of a create whose answer was
        // lost finds the claim it made.
        String token = UUID.randomUUID().toString();
        byte[] lease = json(new Lease(until.getEpochSecond(), messageId, token));
        for (int attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
            if (put(key, lease, null)) {
                return new Claim(true, false, until);
            }
            ResponseBytes<GetObjectResponse> found;
            try {
                found = s3.getObjectAsBytes(get -> get.bucket(bucket).key(key));
            } catch (NoSuchKeyException e) {
                continue; // released meanwhile: create it again
            } catch (SdkException e) {
                throw unavailable(e);
            }
            Lease held = read(found.asByteArray());
            if (token.equals(held.token())) {
                return new Claim(true, false, until);
            }
            if (now.getEpochSecond() < held.until()) {
                return new Claim(false, false, Instant.ofEpochSecond(held.until()));
            }
            if (put(key, lease, found.response().eTag())) {
                Log.infof("Batch %s line %d: the claim of message %s ran out without a result; taken over", id, line,
                        held.messageId());
                return new Claim(true, true, until);
            }
        }
        // Others keep changing it: one of them holds it now.
        return new Claim(false, false, now);
    }

    /** Gives the line up, after a retry-safe failure: its next delivery claims it afresh. */
    void release(String owner, String id, int line) {
        try {
            s3.deleteObject(delete -> delete.bucket(bucket).key(claimKey(owner, id, line)));
        } catch (SdkException e) {
            throw unavailable(e);
        }
    }

    /** A conditional PUT: {@code If-Match: etag}, or {@code If-None-Match: *} when etag is null. */
    private boolean put(String key, byte[] lease, String etag) {
        try {
            s3.putObject(put -> {
                put.bucket(bucket).key(key).contentType("application/json");
                if (etag == null) {
                    put.ifNoneMatch("*");
                } else {
                    put.ifMatch(etag);
                }
            }, RequestBody.fromBytes(lease));
            return true;
        } catch (S3Exception e) {
            // 412: it exists (or changed); 409: a concurrent conditional write won the race.
            if (e.statusCode() == 412 || e.statusCode() == 409) {
                return false;
            }
            throw unavailable(e);
        } catch (SdkException e) {
            throw unavailable(e);
        }
    }

    private static byte[] json(Lease lease) {
        try {
            return BatchRecord.JSON.writeValueAsBytes(lease);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Lease read(byte[] bytes) {
        try {
            return BatchRecord.JSON.readValue(bytes, Lease.class);
        } catch (IOException e) {
            throw new UncheckedIOException("a line claim is not readable", e);
        }
    }

    private static StorageUnavailableException unavailable(SdkException e) {
        Log.errorf("Line claim call failed: %s: %s", e.getClass().getSimpleName(), e.getMessage());
        return new StorageUnavailableException("The batch store is unavailable; retry later.", e);
    }
}
