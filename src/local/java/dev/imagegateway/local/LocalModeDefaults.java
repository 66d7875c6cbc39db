package dev.imagegateway.local;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Fills in the gateway's required settings for local mode, but only those the developer left unset:
 * no {@code images.upstream.base-url} means the demo backend, no {@code images.s3.endpoint} and no
 * {@code images.bucket} mean the embedded store, no {@code images.auth.key-hashes} means the local key.
 *
 * <p>
 * Its ordinal is below {@code application.properties} (250), environment variables (300) and system
 * properties (400), so anything the developer sets wins without further code. Registered through
 * {@code META-INF/services} in {@code src/local/resources}, which only the {@code local} Maven profile
 * puts on the class path.
 */
public class LocalModeDefaults implements ConfigSourceFactory {

    static final int ORDINAL = 200;

    /** The embedded store's bucket and its only credentials; they never leave the loopback interface. */
    static final String BUCKET = "local-images";
    static final String ACCESS_KEY = "local-access-key";
    static final String SECRET_KEY = "local-secret-key";
    static final String REGION = "us-east-1";

    static final String DEFAULT_DATA_DIR = "target-local";
    static final int DEFAULT_STORE_PORT = 8082;
    static final int DEFAULT_DEMO_PORT = 8083;
    static final int DEFAULT_QUEUE_PORT = 8084;
    static final int DEFAULT_QUEUE_CONCURRENCY = 2;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        return List.of(new PropertiesConfigSource(defaults(context), "local mode defaults", ORDINAL));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    private static Map<String, String> defaults(ConfigSourceContext context) {
        Path dataDir = Path.of(valueOr(context, "local.data-dir", DEFAULT_DATA_DIR)).toAbsolutePath().normalize();
        int storePort = Integer.parseInt(valueOr(context, "local.store.port", String.valueOf(DEFAULT_STORE_PORT)));
        int demoPort = Integer.parseInt(valueOr(context, "local.demo.port", String.valueOf(DEFAULT_DEMO_PORT)));
        boolean demo = isUnset(context, "images.upstream.base-url");
        boolean embeddedStore = isUnset(context, "images.s3.endpoint") && isUnset(context, "images.bucket");
        boolean localKey = isUnset(context, "images.auth.key-hashes");
        int queuePort = Integer.parseInt(valueOr(context, "local.queue.port", String.valueOf(DEFAULT_QUEUE_PORT)));
        boolean embeddedQueue = isUnset(context, "images.batches.queue-url");

        Map<String, String> values = new HashMap<>();
        // S3Proxy and its Jetty log every start-up detail at INFO; only their problems matter here.
        values.put("quarkus.log.category.\"org.gaul\".level", "WARN");
        values.put("local.data-dir", dataDir.toString());
        values.put("local.store.port", String.valueOf(storePort));
        values.put("local.demo.port", String.valueOf(demoPort));
        values.put("local.demo.enabled", String.valueOf(demo));
        values.put("local.store.enabled", String.valueOf(embeddedStore));
        if (demo) {
            values.put("images.upstream.base-url", "http://127.0.0.1:" + demoPort);
        }
        if (embeddedStore) {
            values.put("images.s3.endpoint", "http://127.0.0.1:" + storePort);
            values.put("images.s3.path-style", "true");
            values.put("images.s3.region", REGION);
            values.put("images.bucket", BUCKET);
            // The URLs are signed with the store's own keys, whatever AWS credentials the machine has.
            values.put("images.signing.access-key-id", ACCESS_KEY);
            values.put("images.signing.secret-access-key", SECRET_KEY);
        }
        values.put("local.queue.enabled", String.valueOf(embeddedQueue));
        values.put("local.queue.port", String.valueOf(queuePort));
        values.put("local.queue.concurrency",
                valueOr(context, "local.queue.concurrency", String.valueOf(DEFAULT_QUEUE_CONCURRENCY)));
        if (embeddedQueue) {
            values.put("images.batches.sqs-endpoint", "http://127.0.0.1:" + queuePort);
            values.put("images.batches.queue-url", EmbeddedQueue.queueUrl(queuePort, EmbeddedQueue.QUEUE));
            values.put("images.batches.dead-letter-queue-url",
                    EmbeddedQueue.queueUrl(queuePort, EmbeddedQueue.DEAD_LETTER_QUEUE));
            // Checked often: a laptop batch of a few lines should finish in seconds, not half-minutes.
            values.put("images.batches.check-interval", "2s");
            // ElasticMQ and Pekko log their start-up at INFO; only their problems matter here.
            values.put("quarkus.log.category.\"org.elasticmq\".level", "WARN");
            values.put("quarkus.log.category.\"org.apache.pekko\".level", "WARN");
        }
        if (localKey) {
            Path keyFile = dataDir.resolve(LocalGatewayKey.FILE_NAME);
            values.put("local.gateway-key-file", keyFile.toString());
            values.put("images.auth.key-hashes", LocalGatewayKey.readOrCreate(keyFile).sha256Hex());
        }
        return values;
    }

    /**
     * Whether the developer left {@code name} unset. Values from sources ranked at or below this one do
     * not count: Quarkus records the values it saw while building the application (ours included) as
     * low-ranked defaults of the running one, and those must not be mistaken for a developer's choice.
     */
    private static boolean isUnset(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return value == null || value.getValue() == null || value.getValue().isBlank()
                || value.getConfigSourceOrdinal() <= ORDINAL;
    }

    private static String valueOr(ConfigSourceContext context, String name, String fallback) {
        return isUnset(context, name) ? fallback : context.getValue(name).getValue().strip();
    }
}
