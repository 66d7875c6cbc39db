package dev.imagegateway.catalog;

import dev.imagegateway.config.GatewayConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Produces the application's {@link ModelCatalog}: the built-in catalog with the operator's
 * {@code images.models.catalog} (a file path or {@code s3://bucket/key}) merged over it. Read once, at
 * start-up, so that a malformed catalog stops the function before it serves anything, and so that
 * SnapStart's snapshot already holds it.
 */
@ApplicationScoped
public class CatalogLoader {

    private static final String S3_SCHEME = "s3://";

    @Produces
    @Singleton
    @Startup
    ModelCatalog catalog(GatewayConfig config, Instance<S3Client> s3) {
        Optional<CatalogReader.Document> operator = config.models().catalog()
                .map(location -> CatalogReader.parse(location, read(location, s3)));
        ModelCatalog catalog = CatalogReader.read(CatalogReader.builtInDocument(), operator);
        Log.infof("Model catalog: %d models%s", catalog.entries().size(),
                operator.map(document -> " (with " + document.source() + ")").orElse(""));
        return catalog;
    }

    /** The operator's catalog bytes; the S3 client is only looked up when the catalog lives in S3. */
    static byte[] read(String location, Instance<S3Client> s3) {
        if (location.startsWith(S3_SCHEME)) {
            URI uri = URI.create(location);
            String bucket = uri.getHost();
            String key = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
            if (bucket == null || key.isEmpty()) {
                throw new IllegalStateException("images.models.catalog: '" + location
                        + "' is not of the form s3://bucket/key.");
            }
            try {
                return s3.get().getObjectAsBytes(get -> get.bucket(bucket).key(key)).asByteArray();
            } catch (SdkException e) {
                throw new IllegalStateException("images.models.catalog: could not read " + location + " ("
                        + e.getClass().getSimpleName() + ": " + e.getMessage() + ").", e);
            }
        }
        try {
            return Files.readAllBytes(Path.of(location));
        } catch (IOException e) {
            throw new IllegalStateException("images.models.catalog: could not read the file " + location + " ("
                    + e.getClass().getSimpleName() + ").", e);
        }
    }
}
