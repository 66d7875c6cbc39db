package dev.imagegateway.catalog;

import dev.imagegateway.config.GatewayConfig;
import dev.imagegateway.config.StartupSecrets;
import dev.imagegateway.config.UnknownModelPolicy;
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
import java.util.ArrayList;
import java.util.List;
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
        requireConfiguredUpstreams(catalog, config);
        requireServableDefault(catalog, config);
        Log.infof("Model catalog: %d models%s", catalog.entries().size(),
                operator.map(document -> " (with " + document.source() + ")").orElse(""));
        return catalog;
    }

    /**
     * Every upstream an entry names, as its own or as a fallback, must be configured: found at start-up,
     * not by the first request for that model.
     */
    static void requireConfiguredUpstreams(ModelCatalog catalog, GatewayConfig config) {
        for (ModelEntry entry : catalog.entries()) {
            List<String> named = new ArrayList<>(entry.fallbacks());
            entry.upstream().ifPresent(upstream -> named.add(0, upstream));
            for (String upstream : named) {
                if (!upstream.equals(StartupSecrets.DEFAULT_UPSTREAM) && !config.upstreams().containsKey(upstream)) {
                    String field = entry.upstream().filter(upstream::equals).isPresent() ? "upstream" : "fallbacks";
                    throw new IllegalStateException("Model catalog: entry '" + entry.id() + "', field '" + field
                            + "': no upstream named '" + upstream + "' is configured (set images.upstreams." + upstream
                            + ".base-url, or name 'default' for images.upstream).");
                }
            }
        }
    }

    /**
     * A default model that unknown-model refusal would refuse makes every request without a model fail:
     * found at start-up, not by every caller. (Passed through, an unknown default is the operator's
     * choice of a model the catalog does not know yet.)
     */
    static void requireServableDefault(ModelCatalog catalog, GatewayConfig config) {
        config.models().defaultModel().ifPresent(model -> {
            if (config.models().unknown() == UnknownModelPolicy.REFUSE && catalog.find(model).isEmpty()) {
                throw new IllegalStateException("images.models.default: '" + model + "' is not an enabled model of the"
                        + " catalog, and images.models.unknown=refuse refuses such models; every request without a"
                        + " model would fail.");
            }
        });
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
