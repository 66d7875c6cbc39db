package dev.imagegateway.queue;

import dev.imagegateway.config.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Produces the one {@link SqsClient} of the application, in the bucket's region unless
 * {@code images.batches.sqs-endpoint} points elsewhere (local runs and tests).
 */
@ApplicationScoped
public class SqsClients {

    /** The longest one SQS call can take, the SDK's retries included. */
    public static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);

    @Produces
    @Singleton
    SqsClient sqsClient(GatewayConfig config) {
        var builder = SqsClient.builder()
                .httpClient(UrlConnectionHttpClient.builder().build())
                .region(config.s3().region().map(Region::of)
                        .orElseGet(() -> new DefaultAwsRegionProviderChain().getRegion()))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallAttemptTimeout(Duration.ofSeconds(8))
                        .apiCallTimeout(CALL_TIMEOUT)
                        .build());
        config.batches().sqsEndpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    void close(@Disposes SqsClient client) {
        client.close();
    }
}
