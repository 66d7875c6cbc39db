package dev.imagegateway.local;

import io.smallrye.config.ConfigMapping;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Settings of local mode only ({@code ./mvnw quarkus:dev -Plocal}); never part of the AWS build.
 * {@link LocalModeDefaults} derives the {@code enabled} flags from what the developer configured.
 */
@ConfigMapping(prefix = "local")
public interface LocalModeConfig {

    /** Where the embedded store keeps its objects and where the local key lives. Default {@code target-local}. */
    Path dataDir();

    /** The file holding the local gateway key; absent when the developer configured {@code images.auth.key-hashes}. */
    Optional<Path> gatewayKeyFile();

    /** The embedded S3-compatible store. */
    Store store();

    /** The demo image backend. */
    Demo demo();

    /** The embedded queue of the Batch API and the in-process stand-in for Lambda's event source mapping. */
    Queue queue();

    interface Queue {
        /** On unless {@code images.batches.queue-url} is configured. */
        boolean enabled();

        /** Its port on 127.0.0.1 ({@code LOCAL_QUEUE_PORT}). Default 8084. */
        int port();

        /** How many messages the local worker runs at once, as MaximumConcurrency does in AWS. Default 2. */
        int concurrency();
    }

    interface Store {
        /** On unless {@code images.s3.endpoint} or {@code images.bucket} is configured. */
        boolean enabled();

        /** Its port on 127.0.0.1 ({@code LOCAL_STORE_PORT}). Default 8082; fixed so links survive a restart. */
        int port();
    }

    interface Demo {
        /** On unless {@code images.upstream.base-url} is configured. */
        boolean enabled();

        /** Its port on 127.0.0.1 ({@code LOCAL_DEMO_PORT}). Default 8083. */
        int port();
    }
}
