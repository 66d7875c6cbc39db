package dev.imagegateway.batch.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.imagegateway.config.GatewayConfig;
import dev.imagegateway.error.StorageUnavailableException;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The Batch API's objects in the bucket, under {@code batches/api/{owner}/{batch_id}/}:
 * {@code batch.json} (the {@link BatchRecord}), changed only by conditional PUTs so that no update is
 * lost between the routes and concurrent workers, {@code input.jsonl}, the batch's own copy of its input
 * file (every line is read from it, so that deleting the file while the batch runs changes nothing), and
 * {@code results/{line:06d}.ok.json|.err.json}, one per input line, each created at most once.
 */
@ApplicationScoped
public class BatchStore {

    public static final String PREFIX = "batches/api/";
    /** S3's most keys in one list page: counting results costs one LIST per this many lines. */
    static final int LIST_PAGE = 1000;
    /** Attempts of one read-modify-write against concurrent writers before giving up. */
    private static final int UPDATE_ATTEMPTS = 20;

    private final S3Client s3;
    private final String bucket;

    public BatchStore(S3Client s3, GatewayConfig config) {
        this.s3 = s3;
        this.bucket = config.bucket();
    }

    /** A record as read, with the ETag a conditional update must match. */
    public record Versioned(BatchRecord record, String etag) {
    }

    static String batchKey(String owner, String id) {
        return PREFIX + owner + "/" + id + "/batch.json";
    }

    static String inputKey(String owner, String id) {
        return PREFIX + owner + "/" + id + "/input.jsonl";
    }

    static String resultsPrefix(String owner, String id) {
        return PREFIX + owner + "/" + id + "/results/";
    }

    static String resultKey(String owner, String id, int line, boolean ok) {
        return resultsPrefix(owner, id) + String.format("%06d", line) + (ok ? ".ok.json" : ".err.json");
    }

    /** Writes a new batch; it must not exist yet. */
    public void create(String owner, BatchRecord record) {
        try {
            s3.putObject(put -> put.bucket(bucket).key(batchKey(owner, record.batch().id()))
                    .contentType("application/json").ifNoneMatch("*"), RequestBody.fromBytes(json(record)));
        } catch (S3Exception e) {
            // The SDK retries a PUT whose answer was lost; the retry then finds the object its first attempt
            // wrote. The id is new and random, or the one the sweep chose for one job and writes again after
            // a cut-off run, so an existing object can only be that one.
            if (e.statusCode() != 412 || find(owner, record.batch().id()).isEmpty()) {
                throw unavailable(e);
            }
        } catch (SdkException e) {
            throw unavailable(e);
        }
    }

    public Optional<Versioned> find(String owner, String id) {
        return read(owner, id).map(Read::versioned);
    }

    /** A record as stored: its bytes too, to tell whether they are the ones a PUT sent. */
    private record Read(Versioned versioned, byte[] bytes) {
    }

    private Optional<Read> read(String owner, String id) {
        try {
            ResponseBytes<GetObjectResponse> bytes = s3.getObjectAsBytes(get -> get.bucket(bucket)
                    .key(batchKey(owner, id)));
            return Optional.of(new Read(new Versioned(BatchRecord.JSON.readValue(bytes.asByteArray(), BatchRecord.class),
                    bytes.response().eTag()), bytes.asByteArray()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("batch record " + id + " is not readable", e);
        } catch (SdkException e) {
            throw unavailable(e);
        }
    }

    /**
     * Read-modify-write with {@code If-Match}: {@code change} sees the current record and returns the new
     * one, or empty for no change; on a concurrent write it runs again on the newer record. Returns the
     * record as stored afterwards, or empty if the batch does not exist.
     */
    public Optional<BatchRecord> update(String owner, String id, Function<BatchRecord, Optional<BatchRecord>> change) {
        byte[] refused = null;
        BatchRecord refusedRecord = null;
        for (int attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
            Optional<Read> current = read(owner, id);
            if (current.isEmpty()) {
                return Optional.empty();
            }
            if (refused != null && Arrays.equals(current.get().bytes(), refused)) {
                // The SDK retries a PUT whose answer was lost, and the retry's 412 is its own first attempt,
                // stored: the change was made. Running it again on that record would see nothing to do, and a
                // caller acting on what its change did (a cancel sends a check) would then not act.
                return Optional.of(refusedRecord);
            }
            Optional<BatchRecord> changed = change.apply(current.get().versioned().record());
            if (changed.isEmpty()) {
                return Optional.of(current.get().versioned().record());
            }
            byte[] json = json(changed.get());
            try {
                s3.putObject(put -> put.bucket(bucket).key(batchKey(owner, id)).contentType("application/json")
                        .ifMatch(current.get().versioned().etag()), RequestBody.fromBytes(json));
                return changed;
            } catch (S3Exception e) {
                if (e.statusCode() != 412 && e.statusCode() != 409) {
                    throw unavailable(e);
                }
                refused = json;
                refusedRecord = changed.get();
                Log.debugf("Batch %s changed under us; reading it again", id);
            } catch (SdkException e) {
                throw unavailable(e);
            }
        }
        throw new StorageUnavailableException("The batch " + id + " is being changed by too many writers; retry.",
                null);
    }

    /** Whether the batch has its copy of the input file. */
    public boolean hasInput(String owner, String id) {
        try {
            s3.headObject(head -> head.bucket(bucket).key(inputKey(owner, id)));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw unavailable(e);
        } catch (SdkException e) {
            throw unavailable(e);
        }
    }

    /**
     * Copies {@code sourceKey} (an input file's content) to the batch's input copy, inside S3: 200 MB never
     * pass through the worker. Repeatable: the same source gives the same copy. Returns false if the source
     * does not exist.
     */
    public boolean copyInput(String owner, String id, String sourceKey) {
        try {
            s3.copyObject(copy -> copy.sourceBucket(bucket).sourceKey(sourceKey).destinationBucket(bucket)
                    .destinationKey(inputKey(owner, id)));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw unavailable(e);
        } catch (SdkException e) {
            throw unavailable(e);
        }
    }

    /** The batch's input copy, streamed; the caller closes it. */
    public InputStream openInput(String owner, String id) {
        return call(() -> s3.getObject(get -> get.bucket(bucket).key(inputKey(owner, id))));
    }

    /** {@code length} bytes of the input copy from {@code offset}: one line. */
    public byte[] readInput(String owner, String id, long offset, int length) {
        if (length == 0) {
            return new byte[0];
        }
        return call(() -> s3.getObjectAsBytes(get -> get.bucket(bucket).key(inputKey(owner, id))
                .range("bytes=" + offset + "-" + (offset + length - 1))).asByteArray());
    }

    /**
     * The owner's batch ids, newest first (ids sort so, see NewestFirstIds), after {@code after} if given,
     * at most {@code limit}. One LIST with a delimiter: a batch's results are never listed here.
     */
    public List<String> ids(String owner, String after, int limit) {
        String prefix = PREFIX + owner + "/";
        // '~' sorts after everything a batch folder holds, so the listing starts at the next batch.
        String startAfter = after == null ? null : prefix + after + "/~";
        ListObjectsV2Response page = call(() -> s3.listObjectsV2(list -> list.bucket(bucket).prefix(prefix)
                .delimiter("/").maxKeys(limit).startAfter(startAfter)));
        List<String> ids = new ArrayList<>();
        for (CommonPrefix common : page.commonPrefixes()) {
            ids.add(common.prefix().substring(prefix.length(), common.prefix().length() - 1));
        }
        return ids.size() > limit ? ids.subList(0, limit) : ids;
    }

    /**
     * Writes a line's result unless one exists: {@code If-None-Match: *} makes the first writer win, and a
     * 412 means another delivery got there first, which is fine. Returns whether this call wrote it.
     */
    public boolean writeResult(String owner, String id, int line, boolean ok, byte[] result) {
        try {
            s3.putObject(put -> put.bucket(bucket).key(resultKey(owner, id, line, ok)).contentType("application/json")
                    .ifNoneMatch("*"), RequestBody.fromBytes(result));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 409) {
                return false;
            }
            throw unavailable(e);
        } catch (SdkException e) {
            throw unavailable(e);
        }
    }

    /** Whether line {@code line} has a result of either kind: one LIST of its own prefix. */
    public boolean hasResult(String owner, String id, int line) {
        String prefix = resultsPrefix(owner, id) + String.format("%06d", line) + ".";
        return call(() -> s3.listObjectsV2(list -> list.bucket(bucket).prefix(prefix).maxKeys(1)).keyCount() > 0);
    }

    /** Every result key of the batch, in line order: one LIST per {@link #LIST_PAGE} lines. */
    public List<String> resultKeys(String owner, String id) {
        return call(() -> s3.listObjectsV2Paginator(list -> list.bucket(bucket).prefix(resultsPrefix(owner, id))
                .maxKeys(LIST_PAGE)).contents().stream().map(S3Object::key).toList());
    }

    /** The line number and kind a result key names. */
    static int lineOf(String resultKey) {
        String name = resultKey.substring(resultKey.lastIndexOf('/') + 1);
        return Integer.parseInt(name.substring(0, name.indexOf('.')));
    }

    static boolean isOk(String resultKey) {
        return resultKey.endsWith(".ok.json");
    }

    /** A result object as listed: its key and its size in bytes. */
    public record ResultObject(String key, long size) {
    }

    /** Every result of the batch with its size, in line order: one LIST per {@link #LIST_PAGE} lines. */
    public List<ResultObject> results(String owner, String id) {
        return call(() -> s3.listObjectsV2Paginator(list -> list.bucket(bucket).prefix(resultsPrefix(owner, id))
                .maxKeys(LIST_PAGE)).contents().stream().map(o -> new ResultObject(o.key(), o.size())).toList());
    }

    public byte[] read(String key) {
        return call(() -> s3.getObjectAsBytes(get -> get.bucket(bucket).key(key)).asByteArray());
    }

    private static byte[] json(BatchRecord record) {
        try {
            return BatchRecord.JSON.writeValueAsBytes(record);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T call(Supplier<T> operation) {
        try {
            return operation.get();
        } catch (SdkException e) {
            throw unavailable(e);
        }
    }

    private static StorageUnavailableException unavailable(SdkException e) {
        // The SDK's message names bucket and key, never credentials.
        Log.errorf("Batch store call failed: %s: %s", e.getClass().getSimpleName(), e.getMessage());
        return new StorageUnavailableException("The batch store is unavailable; retry later.", e);
    }
}
