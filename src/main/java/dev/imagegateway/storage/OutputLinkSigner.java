package dev.imagegateway.storage;

import dev.imagegateway.config.GatewayConfig;
import dev.imagegateway.config.StartupSecrets;
import dev.imagegateway.error.StorageUnavailableException;
import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.GetObjectPresignRequest;

/**
 * Signs the links of a batch's output file for {@code images.batches.output-url-ttl} (capped at S3's
 * 7 days), with its own {@link LongLivedSigningCredentials} for that lifetime: the image links' signer
 * only vouches for {@code images.url-ttl}. When the credentials cannot outlive the batch lifetime (the
 * role's temporary credentials, no {@code images.signing.*} keys), it caps honestly: the link is signed
 * for {@code images.url-ttl} by the image signer instead, and a warning says so; the line's {@code key}
 * lets the caller sign again.
 */
@ApplicationScoped
public class OutputLinkSigner {

    private final S3Presigner presigner;
    private final ImageStore images;
    private final String bucket;
    private final Duration ttl;
    private volatile boolean warned;

    public OutputLinkSigner(GatewayConfig config, StartupSecrets secrets, ImageStore images) {
        Duration wanted = config.batches().outputUrlTtl();
        this.ttl = wanted.compareTo(S3Clients.MAX_URL_TTL) > 0 ? S3Clients.MAX_URL_TTL : wanted;
        this.images = images;
        this.bucket = config.bucket();
        var builder = S3Presigner.builder()
                .region(S3Clients.region(config))
                .credentialsProvider(new LongLivedSigningCredentials(S3Clients.signingSource(secrets), ttl,
                        Clock.systemUTC()))
                .serviceConfiguration(S3Clients.s3Configuration(config));
        config.s3().endpoint().ifPresent(builder::endpointOverride);
        this.presigner = builder.build();
    }

    /**
     * A link to {@code key} valid for the output lifetime, or for {@code images.url-ttl} if that is all the credentials allow.
     */
    public URI link(String key) {
        GetObjectPresignRequest request = GetObjectPresignRequest.builder().signatureDuration(ttl)
                .getObjectRequest(get -> get.bucket(bucket).key(key)).build();
        try {
            return URI.create(presigner.presignGetObject(request).url().toString());
        } catch (StorageUnavailableException | SdkException e) {
            if (!warned) {
                warned = true;
                Log.warnf("Batch output links are signed for images.url-ttl, not %s: the signing credentials expire"
                        + " sooner. Configure long-term signing keys (images.signing.*) for longer links.", ttl);
            }
            return images.link(key);
        }
    }

    @PreDestroy
    void close() {
        presigner.close();
    }
}
