package dev.imagegateway.batch;

import dev.imagegateway.config.GatewayConfig;
import dev.imagegateway.error.StorageUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The batch jobs' objects in the bucket:
 * <ul>
 * <li>{@code batches/pending/{job-id}.jsonl}: jobs waiting to be run, written by the operator;</li>
 * <li>{@code batches/progress/{job-id}/{line}.json}: the answer to each line once it is answered, so
 * that no line is generated twice across runs;</li>
 * <li>{@code batches/results/{job-id}.jsonl}: all answers in line order, once every line has one;</li>
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
    private static final Pattern PROGRESS_LINE = Pattern.compile("(\\d+)\\.json");

    private final S3Client s3;
    private final String bucket;

    public BatchFiles(S3Client s3, GatewayConfig config) {
        this.s3 = s3;
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

    public byte[] readJob(String jobId) {
        return read(PENDING + jobId + ".jsonl");
    }

    /** The answers already written for a job, by line number. */
    public Map<Integer, String> answeredLineKeys(String jobId) {
        Map<Integer, String> answered = new TreeMap<>();
        String prefix = PROGRESS + jobId + "/";
        for (S3Object object : list(prefix)) {
            Matcher matcher = PROGRESS_LINE.matcher(object.key().substring(prefix.length()));
            if (matcher.matches()) {
                answered.put(Integer.parseInt(matcher.group(1)), object.key());
            }
        }
        return answered;
    }

    public byte[] read(String key) {
        return call(() -> s3.getObjectAsBytes(get -> get.bucket(bucket).key(key)).asByteArray());
    }

    /** Records the answer to one line; from now on the line counts as answered. */
    public void writeAnswer(String jobId, int line, byte[] answer) {
        put(PROGRESS + jobId + "/" + String.format("%07d", line) + ".json", answer, "application/json");
    }

    /**
     * Writes the results and moves the job to {@code done/}: three calls, each repeatable. A run cut
     * before the last leaves the job pending with all its answers, and the next run finishes it again
     * with the same bytes. The answers under {@code progress/} stay; see {@link #deleteAnswers}.
     */
    public void finish(String jobId, byte[] results) {
        String pending = PENDING + jobId + ".jsonl";
        put(RESULTS + jobId + ".jsonl", results, "application/jsonl");
        call(() -> s3.copyObject(copy -> copy.sourceBucket(bucket).sourceKey(pending)
                .destinationBucket(bucket).destinationKey(DONE + jobId + ".jsonl")));
        call(() -> s3.deleteObject(delete -> delete.bucket(bucket).key(pending)));
    }

    /** Deletes at most {@link #DELETE_BATCH} answer keys in one call. */
    public void deleteAnswers(List<String> keys) {
        if (keys.isEmpty()) {
            return;
        }
        List<ObjectIdentifier> objects = keys.stream().map(key -> ObjectIdentifier.builder().key(key).build()).toList();
        DeleteObjectsResponse response = call(() -> s3.deleteObjects(delete -> delete.bucket(bucket)
                .delete(batch -> batch.objects(objects).quiet(true))));
        if (response.hasErrors() && !response.errors().isEmpty()) {
            // DeleteObjects answers 200 even when some keys failed; those would be left behind unseen.
            throw new StorageUnavailableException("The batch files could not be deleted: "
                    + response.errors().get(0).key() + ": " + response.errors().get(0).code(), null);
        }
    }

    /** Ids of the jobs that have answers under {@code progress/}, whether pending or not. */
    public List<String> jobIdsWithAnswers() {
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

    private void put(String key, byte[] bytes, String contentType) {
        call(() -> s3.putObject(put -> put.bucket(bucket).key(key).contentType(contentType),
                RequestBody.fromBytes(bytes)));
    }

    private static <T> T call(Supplier<T> operation) {
        try {
            return operation.get();
        } catch (SdkException e) {
            // The SDK's message names bucket and key, never credentials.
            throw new StorageUnavailableException("The batch files could not be read or written: " + e.getMessage(), e);
        }
    }
}
