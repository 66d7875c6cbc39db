package dev.imagegateway.local;

import dev.imagegateway.config.GatewayConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Tells the developer, once everything is up, what local mode is using and how to make the first
 * request. Printing the key is deliberate and only happens here: it is a key for this machine's
 * gateway, and the point of local mode is a first request that works without reading further.
 */
@ApplicationScoped
public class LocalModeBanner {

    private final LocalModeConfig local;
    private final GatewayConfig gateway;
    private final int port;

    public LocalModeBanner(LocalModeConfig local, GatewayConfig gateway,
            @ConfigProperty(name = "quarkus.lambda.mock-event-server.dev-port", defaultValue = "8080") int port) {
        this.local = local;
        this.gateway = gateway;
        this.port = port;
    }

    void print(@Observes StartupEvent event) {
        String images = local.demo().enabled()
                ? "DEMO backend (placeholder pictures, no network): " + gateway.upstream().baseUrl()
                : "upstream " + gateway.upstream().baseUrl().getHost()
                        + (gateway.upstream().apiKey().isPresent() ? " (with IMAGES_UPSTREAM_API_KEY)" : " (no key)");
        String store = local.store().enabled()
                ? "embedded S3 store " + gateway.s3().endpoint().orElseThrow() + ", data in " + local.dataDir()
                : "bucket " + gateway.bucket() + gateway.s3().endpoint().map(endpoint -> " at " + endpoint).orElse(" in AWS");
        Log.infof("Local mode: images from %s; %s", images, store);
        if (local.gatewayKeyFile().isEmpty()) {
            Log.infof("Local mode: callers use the keys of your IMAGES_AUTH_KEY_HASHES.");
            return;
        }
        Path keyFile = local.gatewayKeyFile().get();
        String key;
        try {
            key = LocalGatewayKey.read(keyFile).value();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Printed, not logged: every log record has its keys cut out (SecretRedactingLogFilter), and this
        // throwaway local key is the one line whose whole point is to show a key to the developer.
        System.out.printf("""
                Local mode: your local gateway key is %1$s (kept in %2$s)
                Try it:
                  curl -s http://localhost:%3$d/v1/images/generations -H 'Authorization: Bearer %1$s' \\
                    -H 'Content-Type: application/json' \\
                    -d '{"model":"gpt-image-2","prompt":"A cute baby sea otter","size":"1024x1024","response_format":"url"}'
                """, key, keyFile, port);
    }
}
