package dev.imagegateway.startup;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.imagegateway.config.GatewayConfig;
import dev.imagegateway.generation.GenerationPlan;
import dev.imagegateway.generation.RequestRules;
import dev.imagegateway.image.ImageType;
import dev.imagegateway.lambda.HandlerPriming;
import dev.imagegateway.storage.ImageKeys;
import dev.imagegateway.storage.ImageStore;
import dev.imagegateway.storage.S3Clients;
import dev.imagegateway.upstream.UpstreamImageRequest;
import dev.imagegateway.upstream.UpstreamImagesResponse;
import dev.imagegateway.upstream.UpstreamSampleExchange;
import dev.imagegateway.wire.RequestReader;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Runs the request path on built-in samples just before Lambda takes a SnapStart snapshot, so that the
 * classes, Jackson's serialisers and the SDK's signer are loaded and initialised in the snapshot, and run
 * often enough ({@code images.priming.rounds}) for the JIT to have compiled them: a restored function
 * serves its first request without that lazy work.
 *
 * <p>
 * The exchange runs in the CRaC {@code beforeCheckpoint} hook, which Lambda's Java runtime calls only
 * when it initialises a function for a snapshot ({@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start}). An
 * on-demand initialisation, or a JVM without CRaC (tests, dev mode), never calls it: there priming would
 * only add its 1.5 s to the cold start. Start-up itself only builds the application's clients, which
 * every first request needs anyway. Quarkus's own SnapStart support ({@code quarkus.snapstart.*}, on by
 * default with the Lambda extension) preloads and initialises the application's classes; it has no hook
 * that runs application code before the snapshot, hence this one.
 *
 * <p>
 * Nothing here touches the network or keeps request-specific state (ids, clocks, credentials): a
 * snapshot is restored many times.
 */
@ApplicationScoped
public class ColdStartPriming implements Resource {

    /** A 1x1 PNG, the smallest real image the read path accepts. */
    private static final String PNG_1X1 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
    /** An answer as the OpenAI API gives it, every field the gateway reads included. */
    private static final String SAMPLE_ANSWER = "{\"created\":1,\"data\":[{\"b64_json\":\"" + PNG_1X1
            + "\",\"revised_prompt\":\"p\"}],\"background\":\"opaque\",\"output_format\":\"png\","
            + "\"size\":\"1024x1024\",\"quality\":\"high\",\"usage\":{\"input_tokens\":1,\"output_tokens\":1,"
            + "\"total_tokens\":2,\"input_tokens_details\":{\"text_tokens\":1,\"image_tokens\":0},"
            + "\"output_tokens_details\":{\"image_tokens\":1,\"text_tokens\":0}}}";

    /** The sample request, parsed and checked in every round (that warms the reader and the rules too). */
    private static final String SAMPLE_REQUEST = "{\"model\":\"gpt-image-2\",\"prompt\":\"priming\",\"n\":1,"
            + "\"size\":\"1024x1024\",\"quality\":\"high\"}";

    /** Where the stand-in takes the priming PUT. */
    private static final String SAMPLE_STORE = "/priming-store";

    private final GatewayConfig config;
    private final RequestReader reader;
    private final RequestRules rules;
    private final UpstreamSampleExchange upstream;
    private final ImageStore store;
    private final ObjectMapper mapper;
    private final Context<Resource> checkpoints;

    @Inject
    public ColdStartPriming(GatewayConfig config, RequestReader reader, RequestRules rules,
            UpstreamSampleExchange upstream, ImageStore store, ObjectMapper mapper) {
        this(config, reader, rules, upstream, store, mapper, Core.getGlobalContext());
    }

    /** With the CRaC context to register with; tests pass one that checkpoints on demand. */
    ColdStartPriming(GatewayConfig config, RequestReader reader, RequestRules rules, UpstreamSampleExchange upstream,
            ImageStore store, ObjectMapper mapper, Context<Resource> checkpoints) {
        this.config = config;
        this.reader = reader;
        this.rules = rules;
        this.upstream = upstream;
        this.store = store;
        this.mapper = mapper;
        this.checkpoints = checkpoints;
    }

    void onStart(@Observes StartupEvent start) {
        // Cheap and needed by every first request: the store's first use builds the application's S3
        // client and presigner (singletons), so they are built in the init phase, snapshot or not.
        store.uploads("priming", Instant.EPOCH);
        if (config.priming().enabled()) {
            // CRaC holds its resources weakly; the application context holds this bean for as long as
            // the application runs.
            checkpoints.register(this);
        }
    }

    /** Lambda calls this once, after initialisation and before it takes the snapshot. */
    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        long started = System.nanoTime();
        int rounds = Math.max(1, config.priming().rounds());
        try {
            int exchanges = prime(rounds);
            Log.infof("Primed the request path in %d ms (rounds: %d, sample exchanges: %d)",
                    (System.nanoTime() - started) / 1_000_000, rounds, exchanges);
        } catch (IOException | RuntimeException e) {
            // Priming is an optimisation: a failure must not stop the function, only be visible.
            // Thrown out of this hook, it would fail the version's publication instead.
            Log.warnf("Priming failed (%s); the first request will do the lazy work", e.getClass().getSimpleName());
        }
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to renew: priming keeps no connection, credential or request state.
    }

    /**
     * Runs the sample request path {@code rounds} times: the first round loads and initialises classes,
     * the later ones make the request path's methods hot enough for the JIT to compile them before the
     * snapshot (a restored function's first request otherwise runs them in the interpreter). Returns how
     * many generations the stand-in answered: two per round.
     */
    private int prime(int rounds) throws IOException {
        AtomicInteger exchanges = new AtomicInteger();
        HttpServer sample = sampleServer(exchanges);
        try {
            URI base = URI.create("http://127.0.0.1:" + sample.getAddress().getPort());
            try (SampleStorage storage = new SampleStorage(base.resolve(SAMPLE_STORE))) {
                for (int round = 0; round < rounds; round++) {
                    GenerationPlan plan = rules.plan(reader.read(SAMPLE_REQUEST.getBytes(StandardCharsets.UTF_8)));
                    UpstreamImageRequest request = plan.upstreamRequest();
                    UpstreamImagesResponse decoded = upstream.exchange(base, request,
                            (index, image) -> ImageType.PNG.matches(image));
                    byte[] answer = mapper.writeValueAsBytes(decoded);
                    upstream.exchange(base, request, null);
                    HandlerPriming.run(answer);
                    storage.storeAndSign();
                }
            }
            primeCredentials();
        } finally {
            sample.stop(0);
        }
        return exchanges.get();
    }

    /**
     * A stand-in on loopback: answers every generation with one 1x1 PNG, and takes any upload to
     * {@link #SAMPLE_STORE} with an empty 200.
     */
    private static HttpServer sampleServer(AtomicInteger exchanges) throws IOException {
        byte[] answer = SAMPLE_ANSWER.getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/images/generations", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchanges.incrementAndGet();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.createContext(SAMPLE_STORE, exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("ETag", "\"primed\"");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        return server;
    }

    /**
     * Uploads through a throwaway S3 client built from the application's own S3 settings (endpoint,
     * region, addressing), whose HTTP client answers locally, and URLs signed the same way, both with
     * throwaway credentials: loads the SDK's request pipeline and the SigV4 signer as the real client uses
     * them, without resolving the function's real credentials, which must be fresh after a restore. And
     * PUTs through the SDK's URL-connection HTTP client, the real client's, to the loopback stand-in.
     */
    private final class SampleStorage implements AutoCloseable {

        private final byte[] png = Base64.getDecoder().decode(PNG_1X1);
        private final URI sampleStore;
        private final S3Client s3;
        private final S3Presigner presigner;
        private final SdkHttpClient http;

        SampleStorage(URI sampleStore) {
            this.sampleStore = sampleStore;
            var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("priming", "priming"));
            this.s3 = S3Clients.configured(config).httpClient(new CannedS3HttpClient()).credentialsProvider(credentials)
                    .build();
            try {
                this.presigner = S3Presigner.builder().region(S3Clients.region(config))
                        .serviceConfiguration(S3Clients.s3Configuration(config)).credentialsProvider(credentials).build();
                this.http = UrlConnectionHttpClient.builder().build();
            } catch (RuntimeException e) {
                s3.close(); // priming fails then (logged); its throwaway client must not stay open in the snapshot
                throw e;
            }
        }

        void storeAndSign() throws IOException {
            String key = ImageKeys.of(Instant.EPOCH, "priming", 0, "png");
            s3.putObject(put -> put.bucket(config.bucket()).key(key).contentType("image/png")
                    .contentLength((long) png.length),
                    RequestBody.fromContentProvider(() -> new ByteArrayInputStream(png), png.length, "image/png"));
            presigner.presignGetObject(presign -> presign.signatureDuration(Duration.ofMinutes(60))
                    .getObjectRequest(get -> get.bucket(config.bucket()).key(key)));
            SdkHttpFullRequest put = SdkHttpFullRequest.builder().method(SdkHttpMethod.PUT).uri(sampleStore)
                    .putHeader("Content-Type", "image/png").putHeader("Content-Length", Integer.toString(png.length))
                    .contentStreamProvider(() -> new ByteArrayInputStream(png)).build();
            HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder().request(put)
                    .contentStreamProvider(put.contentStreamProvider().orElseThrow()).build()).call();
            if (response.responseBody().isPresent()) {
                response.responseBody().get().close();
            }
        }

        @Override
        public void close() {
            s3.close();
            presigner.close();
            http.close();
        }
    }

    /**
     * The application's clients resolve the function's credentials through the SDK's default chain on
     * first use; building that chain and walking it loads some sixty classes, about 40 ms of a restored
     * first request. A throwaway chain is walked here and dropped with what it found: the clients keep
     * their own chains, unresolved, and resolve fresh credentials after a restore. Only when system
     * properties or the environment (where Lambda puts the role's credentials) hold some: otherwise the
     * chain would go on to the profile file and the container and instance metadata endpoints.
     */
    private static void primeCredentials() {
        if (System.getenv("AWS_ACCESS_KEY_ID") == null && System.getProperty("aws.accessKeyId") == null) {
            return;
        }
        try (DefaultCredentialsProvider chain = DefaultCredentialsProvider.builder().build()) {
            chain.resolveCredentials();
        } catch (SdkClientException e) {
            // None found after all: the first request reports it, as it would without priming.
        }
    }
}
