package dev.imagegateway.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegateway.config.GatewayConfig;
import dev.imagegateway.error.StorageUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The batch jobs' objects in the bucket:
 * <ul>
 * <li>{@code batches/pending/{job-id}.jsonl}: jobs waiting to be run, written by the operator;</li>
 * <li>{@code batches/progress/{job-id}/batch.json}: the job's batch on the engine ({@link JobBatch}),
 * while the job runs;</li>
 * <li>{@code batches/results/{job-id}.jsonl}: an answer for every line, in line order, once its batch is
 * finished;</li>
 * <li>{@code batches/done/{job-id}.jsonl}: the job, moved out of {@code pending/} when finished;</li>
 * <li>{@code batches/refused/…}: objects under {@code pending/} whose key is not {@code {job-id}.jsonl},
 * moved here with the reason in their {@code refused-reason} metadata.</li>
 * </ul>
 */
@ApplicationScoped
public class BatchFiles {

    public static final String PENDING = "batches/pending/";
    public static final String PROGRESS = "batches/progress/";
    public static final String RESULTS = "batches/results/";
    public static final String DONE = "batches/done/";
    public static final String REFUSED = "batches/refused/";

    /** The rule {@link #JOB_KEY} checks, in words, for the operator who broke it. */
    public static final String JOB_KEY_RULE = "a job's key must be " + PENDING + "{job-id}.jsonl, the job id 1 to 200"
            + " letters, digits, '.', '_' or '-', starting with a letter or digit, and no folders";

    /** S3's limit of keys in one DeleteObjects request. */
    public static final int DELETE_BATCH = 1000;

    /** Job ids are file names: no folders, nothing that needs escaping in a key. */
    private static final Pattern JOB_KEY = Pattern
            .compile(Pattern.quote(PENDING) + "([A-Za-z0-9][A-Za-z0-9._-]{0,199})\\.jsonl");

    /** S3's smallest multipart part but the last; results are written in parts of this size. */
    static final int PART_BYTES = 8 * 1024 * 1024;

    private final S3Client s3;
    private final ObjectMapper mapper;
    private final String bucket;

    public BatchFiles(S3Client s3, ObjectMapper mapper, GatewayConfig config) {
        this.s3 = s3;
        this.mapper = mapper;
        this.bucket = config.bucket();
    }

    /** The objects under {@code pending/}, in key order; folder markers (keys ending in '/') are not objects. */
    public List<String> pendingKeys() {
        return list(PENDING).stream().map(S3Object::key).filter(key -> !key.endsWith("/")).toList();
    }

    /** The job id a pending key names, if it is {@code pending/{job-id}.jsonl}; see {@link #JOB_KEY_RULE}. */
    public static Optional<String> jobIdOf(String pendingKey) {
        Matcher matcher = JOB_KEY.matcher(pendingKey);
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    /**
     * Moves a pending object that is not a job to {@code refused/} (same name below it), with
     * {@code reason} in its {@code refused-reason} metadata, and returns its new key. Repeatable: a run
     * cut between copy and delete leaves the object pending, and the next run refuses it again.
     */
    public String refuse(String pendingKey, String reason) {
        String refused = REFUSED + pendingKey.substring(PENDING.length());
        call(() -> s3.copyObject(copy -> copy.sourceBucket(bucket).sourceKey(pendingKey)
                .destinationBucket(bucket).destinationKey(refused)
                .metadataDirective(MetadataDirective.REPLACE).metadata(Map.of("refused-reason", reason))));
        call(() -> s3.deleteObject(delete -> delete.bucket(bucket).key(pendingKey)));
        return refused;
    }

    /** Size of a pending job in bytes. */
    public long jobSize(String jobId) {
        return call(() -> s3.headObject(head -> head.bucket(bucket).key(PENDING + jobId + ".jsonl")).contentLength());
    }

    /** The pending job's content, streamed; the caller closes it. */
    public InputStream openJob(String jobId) {
        return call(() -> s3.getObject(get -> get.bucket(bucket).key(PENDING + jobId + ".jsonl")));
    }

    /** The job's batch, if the sweep chose one. */
    public Optional<JobBatch> findBatch(String jobId) {
        try {
            byte[] json = s3.getObjectAsBytes(get -> get.bucket(bucket).key(batchKey(jobId))).asByteArray();
            return Optional.of(mapper.readValue(json, JobBatch.class));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("the batch of job " + jobId + " is not readable", e);
        } catch (SdkException e) {
            throw unavailable(e);
        }
    }

    /**
     * Records the job's batch unless the job has one: {@code If-None-Match: *}, so that of two writers
     * (a run and the SDK's retry of a PUT whose answer was lost, or two runs) the first wins. Returns the
     * job's batch as stored, this one or the one recorded first.
     */
    public JobBatch createBatch(JobBatch batch) {
        try {
            s3.putObject(put -> put.bucket(bucket).key(batchKey(batch.job())).contentType("application/json")
                    .ifNoneMatch("*"), RequestBody.fromBytes(json(batch)));
            return batch;
        } catch (S3Exception e) {
            if (e.statusCode() != 412 && e.statusCode() != 409) {
                throw unavailable(e);
            }
            return findBatch(batch.job()).orElseThrow(() -> unavailable(e));
        } catch (SdkException e) {
            throw unavailable(e);
        }
    }

    /** Rewrites the job's batch record (to mark it started); only the one sweep at a time writes it. */
    public void saveBatch(JobBatch batch) {
        put(batchKey(batch.job()), json(batch), "application/json");
    }

    /**
     * Starts writing the job's results to {@code results/{job-id}.jsonl}, in parts: results of any size are
     * never held whole. Nothing is visible until {@link ResultsWriter#finish()}; writing them again
     * replaces them.
     */
    public ResultsWriter writeResults(String jobId) {
        return new ResultsWriter(RESULTS + jobId + ".jsonl");
    }

    /**
     * Moves the job to {@code done/}: two calls, each repeatable. A run cut between them leaves the job
     * pending with its batch, and the next run finishes it again with the same results.
     */
    public void moveToDone(String jobId) {
        String pending = PENDING + jobId + ".jsonl";
        call(() -> s3.copyObject(copy -> copy.sourceBucket(bucket).sourceKey(pending)
                .destinationBucket(bucket).destinationKey(DONE + jobId + ".jsonl")));
        call(() -> s3.deleteObject(delete -> delete.bucket(bucket).key(pending)));
    }

    /**
     * Deletes everything under {@code progress/{job-id}/}, {@link #DELETE_BATCH} keys a call: the job's
     * batch record, and answers an earlier version of the sweep wrote line by line.
     */
    public void deleteProgress(String jobId) {
        List<String> keys = list(PROGRESS + jobId + "/").stream().map(S3Object::key).toList();
        for (int from = 0; from < keys.size(); from += DELETE_BATCH) {
            deleteKeys(keys.subList(from, Math.min(keys.size(), from + DELETE_BATCH)));
        }
    }

    private void deleteKeys(List<String> keys) {
        List<ObjectIdentifier> objects = keys.stream().map(key -> ObjectIdentifier.builder().key(key).build()).toList();
        DeleteObjectsResponse response = call(() -> s3.deleteObjects(delete -> delete.bucket(bucket)
                .delete(batch -> batch.objects(objects).quiet(true))));
        if (response.hasErrors() && !response.errors().isEmpty()) {
            // DeleteObjects answers 200 even when some keys failed; those would be left behind unseen.
            throw new StorageUnavailableException("The batch files could not be deleted: "
                    + response.errors().get(0).key() + ": " + response.errors().get(0).code(), null);
        }
    }

    /** Ids of the jobs that have anything under {@code progress/}, whether pending or not. */
    public List<String> jobIdsWithProgress() {
        return call(() -> s3.listObjectsV2Paginator(list -> list.bucket(bucket).prefix(PROGRESS).delimiter("/"))
                .commonPrefixes().stream()
                .map(prefix -> prefix.prefix().substring(PROGRESS.length(), prefix.prefix().length() - 1))
                .toList());
    }

    /** Whether the job is in {@code done/}, i.e. its results were written. */
    public boolean isDone(String jobId) {
        return call(() -> {
            try {
                s3.headObject(head -> head.bucket(bucket).key(DONE + jobId + ".jsonl"));
                return true;
            } catch (S3Exception e) {
                if (e.statusCode() == 404) {
                    return false;
                }
                throw e;
            }
        });
    }

    private List<S3Object> list(String prefix) {
        return call(() -> s3.listObjectsV2Paginator(list -> list.bucket(bucket).prefix(prefix)).contents().stream()
                .toList());
    }

    private static String batchKey(String jobId) {
        return PROGRESS + jobId + "/batch.json";
    }

    private byte[] json(JobBatch batch) {
        try {
            return mapper.writeValueAsBytes(batch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void put(String key, byte[] bytes, String contentType) {
        call(() -> s3.putObject(put -> put.bucket(bucket).key(key).contentType(contentType),
                RequestBody.fromBytes(bytes)));
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
        return new StorageUnavailableException("The batch files could not be read or written: " + e.getMessage(), e);
    }

    /** Results written in parts of {@link #PART_BYTES}: one PUT if they fit one part, else a multipart upload. */
    public final class ResultsWriter {
        private final String key;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final List<CompletedPart> parts = new ArrayList<>();
        private String uploadId;

        private ResultsWriter(String key) {
            this.key = key;
        }

        public void write(byte[] line) {
            buffer.writeBytes(line);
            if (buffer.size() >= PART_BYTES) {
                flushPart();
            }
        }

        /** Makes the results visible. */
        public void finish() {
            if (uploadId == null) {
                put(key, buffer.toByteArray(), "application/jsonl");
                return;
            }
            if (buffer.size() > 0) {
                flushPart();
            }
            try {
                call(() -> s3.completeMultipartUpload(complete -> complete.bucket(bucket).key(key).uploadId(uploadId)
                        .multipartUpload(upload -> upload.parts(parts))));
            } catch (RuntimeException e) {
                abort();
                throw e;
            }
        }

        /** Drops what was written; results written before stay as they were. */
        public void abort() {
            if (uploadId == null) {
                return;
            }
            try {
                s3.abortMultipartUpload(abort -> abort.bucket(bucket).key(key).uploadId(uploadId));
            } catch (SdkException e) {
                // The bucket's lifecycle rule removes an upload left unfinished.
            }
        }

        private void flushPart() {
            try {
                if (uploadId == null) {
                    uploadId = call(() -> s3.createMultipartUpload(create -> create.bucket(bucket).key(key)
                            .contentType("application/jsonl"))).uploadId();
                }
                int number = parts.size() + 1;
                byte[] part = buffer.toByteArray();
                String etag = call(() -> s3.uploadPart(upload -> upload.bucket(bucket).key(key).uploadId(uploadId)
                        .partNumber(number), RequestBody.fromBytes(part))).eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
                buffer.reset();
            } catch (RuntimeException e) {
                abort();
                throw e;
            }
        }
    }
}
