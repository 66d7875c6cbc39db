package dev.imagegateway.startup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.imagegateway.config.GatewayConfig;
import dev.imagegateway.generation.RequestRules;
import dev.imagegateway.storage.ImageStore;
import dev.imagegateway.testsupport.LogCapture;
import dev.imagegateway.testsupport.S3TestServer;
import dev.imagegateway.testsupport.S3TestServer.InjectS3;
import dev.imagegateway.testsupport.UpstreamTestServer;
import dev.imagegateway.testsupport.UpstreamTestServer.InjectUpstream;
import dev.imagegateway.upstream.UpstreamSampleExchange;
import dev.imagegateway.wire.RequestReader;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.crac.CheckpointException;
import org.crac.Context;
import org.crac.Resource;
import org.crac.RestoreException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Priming runs only when Lambda is about to take a SnapStart snapshot, and then runs the whole request
 * path without touching the real upstream or the real bucket. A stand-in for Lambda's CRaC context
 * takes the "snapshot": in the test JVM, as in an on-demand function, nothing else would.
 */
@QuarkusTest
@WithTestResource(S3TestServer.class)
@WithTestResource(UpstreamTestServer.class)
class ColdStartPrimingTest {

    @Inject
    GatewayConfig config;
    @Inject
    RequestReader reader;
    @Inject
    RequestRules rules;
    @Inject
    UpstreamSampleExchange sampleExchange;
    @Inject
    ImageStore store;
    @Inject
    ObjectMapper mapper;

    @InjectUpstream
    WireMockServer upstream;

    @InjectS3
    S3Client s3;

    private final SnapshotContext lambda = new SnapshotContext();

    @BeforeEach
    void forgetEarlierCalls() {
        upstream.resetAll();
    }

    @Test
    void startUp_registersTheCheckpointHook_andRunsNoPrimingExchange() {
        ColdStartPriming priming = priming(config);
        try (LogCapture logs = LogCapture.start()) {
            priming.onStart(new StartupEvent());

            assertThat(logs.all()).doesNotContain("Primed the request path").doesNotContain("Priming failed");
        }
        assertThat(lambda.registered).containsExactly(priming);
        assertThat(upstream.getAllServeEvents()).isEmpty();
    }

    @Test
    void snapshot_runsThePrimingExchange_offline_andLeavesNoTrace() throws CheckpointException {
        priming(config).onStart(new StartupEvent());
        try (LogCapture logs = LogCapture.start()) {
            lambda.beforeCheckpoint(null);

            // The handler's 401 event ran (a failure would be "Priming failed") and wrote no request line
            // or metric: a snapshot's own request is no caller's.
            assertThat(logs.all()).contains("Primed the request path in").doesNotContain("Priming failed")
                    .doesNotContain("/v1/images/generations").doesNotContain("status=401")
                    .doesNotContain("\"ImageGateway\"");
        }
        assertThat(upstream.getAllServeEvents()).isEmpty();
        assertThat(s3.listObjectsV2(list -> list.bucket(S3TestServer.BUCKET).prefix("images/1970/")).contents())
                .isEmpty();
    }

    @Test
    void snapshot_runsThePathAsManyRoundsAsConfigured_forTheJitToCompileIt_andAtLeastOnce() throws CheckpointException {
        ColdStartPriming three = priming(withPriming(true, 3));
        three.onStart(new StartupEvent());
        try (LogCapture logs = LogCapture.start()) {
            three.beforeCheckpoint(null);

            assertThat(logs.all()).containsPattern("Primed the request path in \\d+ ms \\(rounds: 3, sample exchanges: 6\\)")
                    .doesNotContain("Priming failed");
        }
        try (LogCapture logs = LogCapture.start()) {
            priming(withPriming(true, 0)).beforeCheckpoint(null);

            assertThat(logs.all()).containsPattern("Primed the request path in \\d+ ms \\(rounds: 1, sample exchanges: 2\\)");
        }
        assertThat(upstream.getAllServeEvents()).isEmpty();
    }

    @Test
    void primingDisabled_registersNothing_soASnapshotPrimesNothing() throws CheckpointException {
        priming(primingDisabled()).onStart(new StartupEvent());
        try (LogCapture logs = LogCapture.start()) {
            lambda.beforeCheckpoint(null);

            assertThat(logs.all()).doesNotContain("Primed the request path");
        }
        assertThat(lambda.registered).isEmpty();
    }

    private ColdStartPriming priming(GatewayConfig withConfig) {
        return new ColdStartPriming(withConfig, reader, rules, sampleExchange, store, mapper, lambda);
    }

    /** The application's configuration with {@code images.priming.enabled=false}. */
    private GatewayConfig primingDisabled() {
        return withPriming(false, 1);
    }

    /** The application's configuration with these {@code images.priming.*} settings. */
    private GatewayConfig withPriming(boolean enabled, int rounds) {
        GatewayConfig.Priming priming = new GatewayConfig.Priming() {
            @Override
            public boolean enabled() {
                return enabled;
            }

            @Override
            public int rounds() {
                return rounds;
            }
        };
        return (GatewayConfig) Proxy.newProxyInstance(GatewayConfig.class.getClassLoader(),
                new Class<?>[] { GatewayConfig.class },
                (proxy, method, args) -> method.getName().equals("priming") ? priming : method.invoke(config, args));
    }

    /**
     * What Lambda's Java runtime does with {@code org.crac}: keeps the registered resources and, only
     * when it initialises a function for a snapshot, calls their {@code beforeCheckpoint}.
     */
    private static final class SnapshotContext extends Context<Resource> {

        final List<Resource> registered = new ArrayList<>();

        @Override
        public void register(Resource resource) {
            registered.add(resource);
        }

        @Override
        public void beforeCheckpoint(Context<? extends Resource> context) throws CheckpointException {
            for (Resource resource : registered) {
                try {
                    resource.beforeCheckpoint(this);
                } catch (Exception e) {
                    CheckpointException failed = new CheckpointException();
                    failed.addSuppressed(e);
                    throw failed;
                }
            }
        }

        @Override
        public void afterRestore(Context<? extends Resource> context) throws RestoreException {
            for (Resource resource : registered) {
                try {
                    resource.afterRestore(this);
                } catch (Exception e) {
                    RestoreException failed = new RestoreException();
                    failed.addSuppressed(e);
                    throw failed;
                }
            }
        }
    }
}
