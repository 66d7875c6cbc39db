package dev.imagegateway.startup;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.imagegateway.config.GatewayConfig;
import dev.imagegateway.generation.GenerationPlan;
import dev.imagegateway.generation.RequestRules;
import dev.imagegateway.image.ImageType;
import dev.imagegateway.storage.ImageKeys;
import dev.imagegateway.storage.ImageStore;
import dev.imagegateway.upstream.UpstreamImageRequest;
import dev.imagegateway.upstream.UpstreamImagesResponse;
import dev.imagegateway.upstream.UpstreamSampleExchange;
import dev.imagegateway.wire.RequestReader;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Runs the request path once at start-up on built-in samples, so that the classes, Jackson's
 * serialisers and the SDK's signer are loaded and initialised before the first request — and, with
 * SnapStart, before the snapshot, so a restored function serves its first request without that lazy
 * work. Nothing here touches the network or keeps request-specific state (ids, clocks, credentials):
 * a snapshot is restored many times.
 */
@ApplicationScoped
public class ColdStartPriming {

    /** A 1x1 PNG, the smallest real image the read path accepts. */
    private static final String PNG_1X1 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
    /** An answer as the OpenAI API gives it, every field the gateway reads included. */
    private static final String SAMPLE_ANSWER = "{\"created\":1,\"data\":[{\"b64_json\":\"" + PNG_1X1
            + "\",\"revised_prompt\":\"p\"}],\"background\":\"opaque\",\"output_format\":\"png\","
            + "\"size\":\"1024x1024\",\"quality\":\"high\",\"usage\":{\"input_tokens\":1,\"output_tokens\":1,"
            + "\"total_tokens\":2,\"input_tokens_details\":{\"text_tokens\":1,\"image_tokens\":0},"
            + "\"output_tokens_details\":{\"image_tokens\":1,\"text_tokens\":0}}}";

    private final GatewayConfig config;
    private final RequestReader reader;
    private final RequestRules rules;
    private final UpstreamSampleExchange upstream;
    private final ImageStore store;
    private final ObjectMapper mapper;

    public ColdStartPriming(GatewayConfig config, RequestReader reader, RequestRules rules,
            UpstreamSampleExchange upstream, ImageStore store, ObjectMapper mapper) {
        this.config = config;
        this.reader = reader;
        this.rules = rules;
        this.upstream = upstream;
        this.store = store;
        this.mapper = mapper;
    }

    void onStart(@Observes StartupEvent start) {
        if (!config.priming().enabled()) {
            return;
        }
        long started = System.nanoTime();
        try {
            prime();
            Log.infof("Primed the request path in %d ms", (System.nanoTime() - started) / 1_000_000);
        } catch (IOException | RuntimeException e) {
            // Priming is an optimisation: a failure must not stop the function, only be visible.
            Log.warnf("Priming failed (%s); the first request will do the lazy work", e.getClass().getSimpleName());
        }
    }

    private void prime() throws IOException {
        GenerationPlan plan = rules.plan(reader.read(
                "{\"model\":\"gpt-image-2\",\"prompt\":\"priming\",\"n\":1,\"size\":\"1024x1024\",\"quality\":\"high\"}"
                        .getBytes(StandardCharsets.UTF_8)));
        UpstreamImageRequest request = plan.upstreamRequest();
        HttpServer sampleUpstream = sampleUpstream();
        try {
            URI base = URI.create("http://127.0.0.1:" + sampleUpstream.getAddress().getPort());
            UpstreamImagesResponse decoded = upstream.exchange(base, request,
                    (index, image) -> ImageType.PNG.matches(image));
            mapper.writeValueAsBytes(decoded);
            upstream.exchange(base, request, null);
        } finally {
            sampleUpstream.stop(0);
        }
        primeStorage();
        // The store's first use builds the application's S3 client and presigner.
        store.uploads("priming", Instant.EPOCH);
    }

    /** A stand-in upstream on loopback that answers every generation with one 1x1 PNG. */
    private static HttpServer sampleUpstream() throws IOException {
        byte[] answer = SAMPLE_ANSWER.getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/images/generations", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        return server;
    }

    /**
     * One upload through a throwaway S3 client whose HTTP client answers locally, and one URL signed
     * with throwaway credentials: loads the SDK's request pipeline and the SigV4 signer without
     * resolving the function's real credentials, which must be fresh after a restore.
     */
    private void primeStorage() {
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("priming", "priming"));
        byte[] png = Base64.getDecoder().decode(PNG_1X1);
        try (S3Client s3 = S3Client.builder().httpClient(new CannedS3HttpClient()).region(Region.US_EAST_1)
                .credentialsProvider(credentials).build()) {
            s3.putObject(put -> put.bucket(config.bucket()).key(ImageKeys.of(Instant.EPOCH, "priming", 0, "png"))
                    .contentType("image/png").contentLength((long) png.length),
                    RequestBody.fromContentProvider(() -> new ByteArrayInputStream(png), png.length, "image/png"));
        }
        primeSigning(credentials);
    }

    private void primeSigning(StaticCredentialsProvider credentials) {
        try (S3Presigner presigner = S3Presigner.builder()
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                .build()) {
            presigner.presignGetObject(presign -> presign.signatureDuration(Duration.ofMinutes(60))
                    .getObjectRequest(get -> get.bucket(config.bucket())
                            .key(ImageKeys.of(Instant.EPOCH, "priming", 0, "png"))));
        }
    }
}
