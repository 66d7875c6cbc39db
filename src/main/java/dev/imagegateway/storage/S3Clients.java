package dev.imagegateway.storage;

import dev.imagegateway.config.GatewayConfig;
import dev.imagegateway.config.StartupSecrets;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Produces the one {@link S3Client} and {@link S3Presigner} of the application from {@code images.s3.*}.
 * The presigner shares endpoint, region and addressing with the client but signs with
 * {@link LongLivedSigningCredentials}.
 */
@ApplicationScoped
public class S3Clients {

    /**
     * Attempts per S3 call. More than the JDK keeps idle connections per host (5, {@code http.maxConnections}):
     * after a pause longer than the server's idle timeout — a quiet spell, or a Lambda environment frozen
     * between invocations — every cached connection may be dead, and each attempt that picks one fails at
     * once ("Error writing request body to server"); the last attempt then opens a fresh one.
     */
    public static final int S3_ATTEMPTS = 6;

    /**
     * The longest one S3 call can take, all attempts included: the call ends, or fails, within it. Who
     * must finish a few calls before a deadline reserves this much per call.
     */
    public static final Duration CALL_TIMEOUT = Duration.ofSeconds(25);

    /** S3's own limit for pre-signed URLs. */
    static final Duration MAX_URL_TTL = Duration.ofDays(7);

    /**
     * Fails start-up on a link lifetime S3 cannot sign, rather than failing every {@code url} request
     * after its images were generated and stored.
     */
    void checkUrlTtl(@Observes StartupEvent start, GatewayConfig config) {
        checkUrlTtl(config.urlTtl());
    }

    static void checkUrlTtl(Duration ttl) {
        if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(MAX_URL_TTL) > 0) {
            throw new IllegalStateException("images.url-ttl must be between 1s and 7d (S3's limit for pre-signed"
                    + " URLs), not " + ttl + ".");
        }
    }

    // Singletons, not client proxies: they are built with the store that uses them, so start-up (and
    // SnapStart's snapshot) includes building them, not the first request.
    @Produces
    @Singleton
    S3Client s3Client(GatewayConfig config) {
        return configured(config)
                .httpClient(UrlConnectionHttpClient.builder().build())
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .build();
    }

    /**
     * The application's S3 client settings from {@code images.s3.*}, without its HTTP client and
     * credentials: cold-start priming builds a throwaway client from the same settings, so that it runs
     * the same endpoint rules, addressing and signing as the real one.
     */
    public static S3ClientBuilder configured(GatewayConfig config) {
        S3ClientBuilder builder = S3Client.builder()
                .region(region(config))
                .serviceConfiguration(s3Configuration(config))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        // S3's transient faults (500, 503 SlowDown, throttling, dropped connections) are retried by
                        // the SDK's standard strategy: S3_ATTEMPTS with exponential backoff and jitter. An upload is
                        // idempotent (same key, same bytes), so a retry can never store anything twice.
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(S3_ATTEMPTS).build())
                        // A hung connection must not eat the invocation: one attempt gets 10 s, all of them 25 s.
                        .apiCallAttemptTimeout(Duration.ofSeconds(10))
                        .apiCallTimeout(CALL_TIMEOUT)
                        .build());
        config.s3().endpoint().ifPresent(builder::endpointOverride);
        return builder;
    }

    @Produces
    @Singleton
    S3Presigner s3Presigner(GatewayConfig config, StartupSecrets secrets) {
        var builder = S3Presigner.builder()
                .region(region(config))
                .credentialsProvider(new LongLivedSigningCredentials(signingSource(secrets), config.urlTtl(),
                        Clock.systemUTC()))
                .serviceConfiguration(s3Configuration(config));
        config.s3().endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    void close(@Disposes S3Client client) {
        client.close();
    }

    void close(@Disposes S3Presigner presigner) {
        presigner.close();
    }

    static Supplier<AwsCredentialsProvider> signingSource(StartupSecrets secrets) {
        if (secrets.signingKeys().isPresent()) {
            StartupSecrets.SigningKeys signing = secrets.signingKeys().get();
            AwsCredentialsProvider keys = StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(signing.accessKeyId(), signing.secretAccessKey()));
            return () -> keys;
        }
        return () -> DefaultCredentialsProvider.builder().build();
    }

    public static Region region(GatewayConfig config) {
        return config.s3().region().map(Region::of)
                .orElseGet(() -> new DefaultAwsRegionProviderChain().getRegion());
    }

    public static S3Configuration s3Configuration(GatewayConfig config) {
        return S3Configuration.builder().pathStyleAccessEnabled(config.s3().pathStyle()).build();
    }
}
