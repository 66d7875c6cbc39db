package dev.imagegateway.storage;

import dev.imagegateway.config.GatewayConfig;
import dev.imagegateway.error.StorageUnavailableException;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The batch jobs' objects in the bucket:
 * <ul>
 * <li>{@code batches/pending/{job-id}.jsonl}: jobs waiting to be run, written by the operator;</li>
 * <li>{@code batches/progress/{job-id}/{line}.json}: the answer to each line once it is answered, so
 * that no line is generated twice across runs;</li>
 * <li>{@code batches/results/{job-id}.jsonl}: all answers in line order, once every line has one;</li>
 * <li>{@code batches/done/{job-id}.jsonl}: the job, moved out of {@code pending/} when finished.</li>
 * </ul>
 */
@ApplicationScoped
public class BatchFiles {

    public static final String PENDING = "batches/pending/";
    public static final String PROGRESS = "batches/progress/";
    public static final String RESULTS = "batches/results/";
    public static final String DONE = "batches/done/";

    /** Job ids are file names: no folders, nothing that needs escaping in a key. */
    private static final Pattern JOB_KEY =
            Pattern.compile(Pattern.quote(PENDING) + "([A-Za-z0-9][A-Za-z0-9._-]{0,199})\\.jsonl");
    private static final Pattern PROGRESS_LINE = Pattern.compile("(\\d+)\\.json");

    private final S3Client s3;
    private final String bucket;

    public BatchFiles(S3Client s3, GatewayConfig config) {
        this.s3 = s3;
        this.bucket = config.bucket();
    }

    /** Ids of the pending jobs, in key order; keys that are not {@code {job-id}.jsonl} are logged and left alone. */
    public List<String> pendingJobIds() {
        List<String> ids = new ArrayList<>();
        for (S3Object object : list(PENDING)) {
            Matcher matcher = JOB_KEY.matcher(object.key());
            if (matcher.matches()) {
                ids.add(matcher.group(1));
            } else {
                Log.warnf("Ignoring %s: a job must be %s{job-id}.jsonl, the id made of letters, digits, '.', '_', '-'",
                        object.key(), PENDING);
            }
        }
        return ids;
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
     * Writes the results and moves the job to {@code done/}. Each step can be repeated: a run that stops
     * half-way leaves the job pending with all its answers, and the next run finishes it again.
     */
    public void finish(String jobId, byte[] results) {
        String pending = PENDING + jobId + ".jsonl";
        put(RESULTS + jobId + ".jsonl", results, "application/jsonl");
        call(() -> s3.copyObject(copy -> copy.sourceBucket(bucket).sourceKey(pending)
                .destinationBucket(bucket).destinationKey(DONE + jobId + ".jsonl")));
        call(() -> s3.deleteObject(delete -> delete.bucket(bucket).key(pending)));
        for (String key : answeredLineKeys(jobId).values()) {
            call(() -> s3.deleteObject(delete -> delete.bucket(bucket).key(key)));
        }
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
