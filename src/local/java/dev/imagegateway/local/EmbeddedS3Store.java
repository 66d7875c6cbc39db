package dev.imagegateway.local;

import dev.imagegateway.s3proxy.AtomicIfMatchBlobStore;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;

/**
 * An S3-compatible server (S3Proxy) on 127.0.0.1 with a filesystem blob store under
 * {@code local.data-dir}. It checks SigV4 signatures, so the gateway's pre-signed URLs download the
 * images and stop working when they expire, as on S3.
 */
@ApplicationScoped
public class EmbeddedS3Store {

    private final LocalModeConfig config;
    private S3Proxy proxy;
    private BlobStore blobStore;

    public EmbeddedS3Store(LocalModeConfig config) {
        this.config = config;
    }

    // Early, so the store is up before anything could upload.
    void start(@Observes @Priority(10) StartupEvent event) throws Exception {
        if (!config.store().enabled()) {
            return;
        }
        Path directory = config.dataDir().resolve("s3");
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the local store's directory " + directory, e);
        }
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", directory.toString());
        properties.setProperty("jclouds.identity", LocalModeDefaults.ACCESS_KEY);
        properties.setProperty("jclouds.credential", LocalModeDefaults.SECRET_KEY);
        // Batch work runs LOCAL_QUEUE_CONCURRENCY messages at once: their conditional updates must not both win.
        blobStore = new AtomicIfMatchBlobStore(BlobStores.create("filesystem", properties));
        URI endpoint = URI.create("http://127.0.0.1:" + config.store().port());
        proxy = S3Proxy.builder()
                .blobStore(blobStore)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, LocalModeDefaults.ACCESS_KEY,
                        LocalModeDefaults.SECRET_KEY)
                .endpoint(endpoint)
                .build();
        try {
            proxy.start();
        } catch (Exception e) {
            throw new IllegalStateException("The local S3 store cannot listen on " + endpoint
                    + " (port taken?). Choose another port with LOCAL_STORE_PORT.", e);
        }
        awaitStarted();
        if (!blobStore.containerExists(LocalModeDefaults.BUCKET)) {
            blobStore.createContainer(LocalModeDefaults.BUCKET);
        }
        // The gateway's S3 client takes its credentials from the AWS SDK's default chain, as on Lambda.
        // System properties are that chain's first link, so local mode plugs its store's keys in there
        // and outranks any AWS credentials of the machine, which the store would refuse.
        System.setProperty("aws.accessKeyId", LocalModeDefaults.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", LocalModeDefaults.SECRET_KEY);
        Log.infof("Local S3 store (S3Proxy, SigV4 checked) on %s, bucket %s, objects in %s", endpoint,
                LocalModeDefaults.BUCKET, directory);
    }

    void stop(@Observes ShutdownEvent event) throws Exception {
        if (proxy != null) {
            proxy.stop();
            proxy = null;
        }
        if (blobStore != null) {
            blobStore.close();
            blobStore = null;
        }
    }

    private void awaitStarted() throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if ("FAILED".equals(proxy.getState()) || System.nanoTime() > deadline) {
                throw new IllegalStateException("The local S3 store did not start (state " + proxy.getState() + ").");
            }
            Thread.sleep(10);
        }
    }
}
