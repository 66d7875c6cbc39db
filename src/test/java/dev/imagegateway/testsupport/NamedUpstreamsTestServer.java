package dev.imagegateway.testsupport;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

/**
 * Two further upstreams on 127.0.0.1, {@code acme} and {@code backup}, each with its own key, and the
 * test catalog {@code catalogs/upstreams.json} whose {@code acme-image} goes to acme (as
 * {@code acme-image-v1}) with backup as its fallback.
 */
public class NamedUpstreamsTestServer implements QuarkusTestResourceLifecycleManager {

    public static final String ACME_KEY = "sk-acme-test-key";
    public static final String BACKUP_KEY = "sk-backup-test-key";

    /** Marks a {@link NamedUpstreamsTestServer} field of a test. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface InjectNamedUpstreams {
    }

    private final WireMockServer acme = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    private final WireMockServer backup = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());

    @Override
    public Map<String, String> start() {
        acme.start();
        backup.start();
        return Map.of(
                "images.upstreams.acme.base-url", acme.baseUrl(),
                "images.upstreams.acme.api-key", ACME_KEY,
                "images.upstreams.backup.base-url", backup.baseUrl(),
                "images.upstreams.backup.api-key", BACKUP_KEY,
                "images.models.catalog", "src/test/resources/catalogs/upstreams.json");
    }

    public WireMockServer acme() {
        return acme;
    }

    public WireMockServer backup() {
        return backup;
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(this, new TestInjector.AnnotatedAndMatchesType(InjectNamedUpstreams.class,
                NamedUpstreamsTestServer.class));
    }

    @Override
    public void stop() {
        acme.stop();
        backup.stop();
    }
}
