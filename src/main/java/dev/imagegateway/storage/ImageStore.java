package dev.imagegateway.storage;

import dev.imagegateway.config.GatewayConfig;
import dev.imagegateway.error.StorageUnavailableException;
import dev.imagegateway.image.ImageType;
import dev.imagegateway.observability.RequestLogFields;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

    /** A stored image: its object key and a pre-signed link to it. */
    public record StoredImage(String key, URI url) {
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
        private final List<Upload> pending = new ArrayList<>();
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
            pending.add(new Upload(key, CompletableFuture.supplyAsync(() -> timed(key, image), executor)));
        }

        /**
         * Waits, until {@code until} at the latest, for every upload and returns the keys in the order the
         * images were added. When any upload failed after the SDK's retries, or S3 is too slow, everything
         * of this request is removed and {@link StorageUnavailableException} thrown: the caller gets a clear
         * 503 in time, and no image is left that no answer accounts for.
         */
        public List<String> keys(Instant until) {
            List<String> keys = new ArrayList<>(pending.size());
            try {
                for (Upload upload : pending) {
                    long left = Math.max(0, Duration.between(Instant.now(), until).toMillis());
                    keys.add(upload.done().get(left, TimeUnit.MILLISECONDS));
                }
                return keys;
            } catch (TimeoutException e) {
                abandon();
                throw new StorageUnavailableException("The image store did not keep the images in time.", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                abandon();
                throw new StorageUnavailableException("Storing the images was interrupted.", e);
            } catch (ExecutionException e) {
                abandon();
                if (e.getCause() instanceof StorageUnavailableException storage) {
                    throw storage;
                }
                throw new StorageUnavailableException("The image store failed.", e.getCause());
            }
        }

        /**
         * Removes everything of this request, without waiting: each upload still running is deleted once
         * it completes. Further images are refused. For a request that failed after storing began.
         *
         * <p>
         * Every key is deleted, whatever its upload's outcome: an upload that "failed" because S3's
         * answer was lost may well have stored its object, and a failed one leaves nothing to delete,
         * which S3 answers with success all the same.
         */
        public void abandon() {
            List<Upload> started;
            synchronized (this) {
                abandoned = true;
                started = List.copyOf(pending);
            }
            for (Upload upload : started) {
                upload.done().whenCompleteAsync((key, failure) -> deleteQuietly(upload.key()), executor);
            }
        }

        /**
         * Waits for every upload (see {@link #keys}), signs a link to each, and notes what was stored in
         * the request line. If signing fails, everything of this request is removed too.
         */
        public List<StoredImage> links(Instant until) {
            List<String> keys = keys(until);
            try {
                List<StoredImage> stored = keys.stream().map(key -> new StoredImage(key, link(key))).toList();
                RequestLogFields.addDuration(RequestLogFields.UPLOAD_MS, storageNanos());
                RequestLogFields.add(RequestLogFields.IMAGES_STORED, stored.size());
                RequestLogFields.add(RequestLogFields.BYTES_STORED, bytes());
                return stored;
            } catch (RuntimeException e) {
                abandon();
                throw e;
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

    /** One image's upload: the key it is stored under, known before the upload starts, and its outcome. */
    private record Upload(String key, CompletableFuture<String> done) {
    }

    /** A new, empty set of uploads for one request. */
    public Uploads uploads(String requestId, Instant generatedAt) {
        return new Uploads(requestId, generatedAt);
    }

    /**
     * Uploads all images of one request in parallel and returns them, with links, in order; all or none
     * are kept (see {@link Uploads#keys}).
     */
    public List<StoredImage> storeAll(String requestId, Instant generatedAt, List<Image> images, Instant until) {
        Uploads uploads = uploads(requestId, generatedAt);
        for (int i = 0; i < images.size(); i++) {
            uploads.add(i, images.get(i));
        }
        return uploads.links(until);
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
        PutObjectRequest.Builder builder = PutObjectRequest.builder()
                .bucket(config.bucket())
                .key(key)
                .contentType(image.type().contentType())
                .contentLength((long) image.bytes().length);
        if (!image.type().hasSignature()) {
            // Bytes the gateway could not check (an SVG may carry script) are downloaded, never rendered inline.
            builder.contentDisposition("attachment");
        }
        PutObjectRequest request = builder.build();
        byte[] bytes = image.bytes();
        try {
            // A content provider, not fromBytes: that one copies the array, and these are megabytes.
            s3.putObject(request, RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes), bytes.length,
                    image.type().contentType()));
            return key;
        } catch (SdkException e) {
            // The SDK's message names bucket and endpoint, never credentials; the key path is ours.
            Log.errorf("Upload of %s failed: %s: %s", key, e.getClass().getSimpleName(), e.getMessage());
            throw new StorageUnavailableException("The image store is unavailable; the images could not be kept.", e);
        }
    }

    private void deleteQuietly(String key) {
        try {
            s3.deleteObject(delete -> delete.bucket(config.bucket()).key(key));
        } catch (SdkException e) {
            // The lifecycle rule on images/ removes it in the end; say which object is left until then.
            Log.warnf("Could not remove %s of a failed request: %s", key, e.getClass().getSimpleName());
        }
    }
}
