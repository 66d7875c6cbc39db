package dev.imagegateway.storage;

import dev.imagegateway.config.GatewayConfig;
import dev.imagegateway.error.StorageUnavailableException;
import dev.imagegateway.image.ImageType;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.context.ManagedExecutor;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.GetObjectPresignRequest;

/** Keeps generated images in the bucket and issues the pre-signed links to them. */
@ApplicationScoped
public class ImageStore {

    private final S3Client s3;
    private final S3Presigner presigner;
    private final GatewayConfig config;
    private final ExecutorService executor;

    public ImageStore(S3Client s3, S3Presigner presigner, GatewayConfig config, ManagedExecutor executor) {
        this.s3 = s3;
        this.presigner = presigner;
        this.config = config;
        this.executor = executor;
    }

    /** Image bytes to keep, with their type. */
    public record Image(byte[] bytes, ImageType type) {
    }

    /**
     * The uploads of one request: each starts as soon as its image is added and runs in parallel with
     * the others (and with reading the next image off the upstream).
     */
    public final class Uploads {
        private final String requestId;
        private final Instant generatedAt;
        private final List<CompletableFuture<String>> pending = new ArrayList<>();
        private final AtomicLong firstStart = new AtomicLong(Long.MAX_VALUE);
        private final AtomicLong lastEnd = new AtomicLong();
        private long bytes;
        private boolean abandoned;

        private Uploads(String requestId, Instant generatedAt) {
            this.requestId = requestId;
            this.generatedAt = generatedAt;
        }

        /** Starts uploading the image at {@code index}. */
        public synchronized void add(int index, Image image) {
            if (abandoned) {
                throw new IllegalStateException("uploads of request " + requestId + " were abandoned");
            }
            String key = ImageKeys.of(generatedAt, requestId, index, image.type().extension());
            bytes += image.bytes().length;
            pending.add(CompletableFuture.supplyAsync(() -> timed(key, image), executor));
        }

        /**
         * Waits for every upload and returns the keys in the order the images were added. Throws
         * {@link StorageUnavailableException} when any upload failed after the SDK's retries.
         */
        public List<String> keys() {
            try {
                return pending.stream().map(CompletableFuture::join).toList();
            } catch (CompletionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof StorageUnavailableException storage) {
                    throw storage;
                }
                throw new StorageUnavailableException("The image store failed.", cause);
            }
        }

        /** Waits for what was started, then removes it: the request failed and no answer will name it. */
        public void abandon() {
            List<CompletableFuture<String>> started;
            synchronized (this) {
                abandoned = true;
                started = List.copyOf(pending);
            }
            for (CompletableFuture<String> upload : started) {
                try {
                    delete(upload.join());
                } catch (RuntimeException e) {
                    // never stored, or not deletable now: the lifecycle rule expires it
                }
            }
        }

        /** Bytes added so far. */
        public synchronized long bytes() {
            return bytes;
        }

        /** Nanoseconds from the first upload's start to the last one's end: what S3 took, seen from here. */
        public long storageNanos() {
            long start = firstStart.get();
            return start == Long.MAX_VALUE ? 0 : Math.max(0, lastEnd.get() - start);
        }

        private String timed(String key, Image image) {
            firstStart.accumulateAndGet(System.nanoTime(), Math::min);
            try {
                return put(key, image);
            } finally {
                lastEnd.accumulateAndGet(System.nanoTime(), Math::max);
            }
        }
    }

    /** A new, empty set of uploads for one request. */
    public Uploads uploads(String requestId, Instant generatedAt) {
        return new Uploads(requestId, generatedAt);
    }

    /** Uploads all images of one request in parallel and returns their keys, in order. */
    public List<String> storeAll(String requestId, Instant generatedAt, List<Image> images) {
        Uploads uploads = uploads(requestId, generatedAt);
        for (int i = 0; i < images.size(); i++) {
            uploads.add(i, images.get(i));
        }
        return uploads.keys();
    }

    /** A pre-signed GET link to {@code key}, valid for {@code images.url-ttl} from now. */
    public URI link(String key) {
        GetObjectPresignRequest request = GetObjectPresignRequest.builder()
                .signatureDuration(config.urlTtl())
                .getObjectRequest(get -> get.bucket(config.bucket()).key(key))
                .build();
        try {
            return URI.create(presigner.presignGetObject(request).url().toString());
        } catch (SdkException e) {
            // The SDK wraps what a credentials provider throws; ours explains itself, keep its words.
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof StorageUnavailableException storage) {
                    throw storage;
                }
            }
            throw new StorageUnavailableException("The gateway could not sign a link to the stored image.", e);
        }
    }

    private String put(String key, Image image) {
        PutObjectRequest request = PutObjectRequest.builder()
                .bucket(config.bucket())
                .key(key)
                .contentType(image.type().contentType())
                .contentLength((long) image.bytes().length)
                .build();
        byte[] bytes = image.bytes();
        try {
            // A content provider, not fromBytes: that one copies the array, and these are megabytes.
            s3.putObject(request, RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes), bytes.length,
                    image.type().contentType()));
            return key;
        } catch (SdkException e) {
            // The SDK's message names bucket and endpoint, never credentials; the key path is ours.
            Log.errorf("Upload of %s failed: %s", key, e.getClass().getSimpleName());
            throw new StorageUnavailableException("The image store is unavailable; the images could not be kept.", e);
        }
    }

    private void delete(String key) {
        s3.deleteObject(delete -> delete.bucket(config.bucket()).key(key));
    }
}
