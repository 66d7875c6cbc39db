package dev.imagegateway.testsupport;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

/** A real HTTP server on 127.0.0.1 standing in for the OpenAI-compatible image backend. */
public class UpstreamTestServer implements QuarkusTestResourceLifecycleManager {

    /** The key the gateway must send upstream; never the caller's. */
    public static final String UPSTREAM_KEY = "sk-upstream-test";

    /** Marks a {@link WireMockServer} field of a test that should receive the upstream server. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface InjectUpstream {
    }

    private WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort()
                .containerThreads(16));
        server.start();
        return Map.of(
                "images.upstream.base-url", server.baseUrl(),
                "images.upstream.api-key", UPSTREAM_KEY);
    }

    /** The running server, for tests that start it outside Quarkus. */
    public WireMockServer server() {
        return server;
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(server,
                new TestInjector.AnnotatedAndMatchesType(InjectUpstream.class, WireMockServer.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
