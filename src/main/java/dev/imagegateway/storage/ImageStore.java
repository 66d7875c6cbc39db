package dev.imagegateway.storage;

import dev.imagegateway.config.GatewayConfig;
import dev.imagegateway.error.StorageUnavailableException;
import dev.imagegateway.image.ImageType;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
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
    private final ExecutorService uploads;

    public ImageStore(S3Client s3, S3Presigner presigner, GatewayConfig config, ManagedExecutor uploads) {
        this.s3 = s3;
        this.presigner = presigner;
        this.config = config;
        this.uploads = uploads;
    }

    /** Image bytes to keep, with their type. */
    public record Image(byte[] bytes, ImageType type) {
    }

    /**
     * Uploads all images of one request in parallel and returns their keys, in order. Throws
     * {@link StorageUnavailableException} when any upload fails after the SDK's retries.
     */
    public List<String> storeAll(String requestId, Instant generatedAt, List<Image> images) {
        List<CompletableFuture<String>> pending = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            String key = ImageKeys.of(generatedAt, requestId, i, images.get(i).type().extension());
            Image image = images.get(i);
            pending.add(CompletableFuture.supplyAsync(() -> put(key, image), uploads));
        }
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
        try {
            s3.putObject(request, RequestBody.fromBytes(image.bytes()));
            return key;
        } catch (SdkException e) {
            // The SDK's message names bucket and endpoint, never credentials; the key path is ours.
            Log.errorf("Upload of %s failed: %s", key, e.getClass().getSimpleName());
            throw new StorageUnavailableException("The image store is unavailable; the images could not be kept.", e);
        }
    }
}
