package dev.imagegateway.testsupport;

import dev.imagegateway.s3proxy.AtomicIfMatchBlobStore;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.URI;
import java.util.Map;
import java.util.Properties;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * A real S3-compatible server (S3Proxy, in memory) on 127.0.0.1 that checks SigV4 signatures, so
 * pre-signed URLs are really verified and really expire, and whose {@code If-Match} writes are atomic as
 * S3's are ({@link AtomicIfMatchBlobStore}). The credentials are the ones the pom gives the AWS SDK's
 * default chain in tests.
 */
public class S3TestServer implements QuarkusTestResourceLifecycleManager {

    public static final String BUCKET = "gateway-images";
    public static final String ACCESS_KEY = "test-access-key";
    public static final String SECRET_KEY = "test-secret-key";

    /** Marks an {@link S3Client} field of a test that should talk to this server. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface InjectS3 {
    }

    private BlobStore store;
    private S3Proxy server;
    private S3Client client;

    @Override
    public Map<String, String> start() {
        URI endpoint = startServer();
        return Map.of(
                "images.s3.endpoint", endpoint.toString(),
                "images.s3.path-style", "true",
                "images.s3.region", "us-east-1",
                "images.bucket", BUCKET);
    }

    /** Starts the server outside Quarkus (plain JUnit tests) and returns its endpoint. */
    public URI startServer() {
        store = new AtomicIfMatchBlobStore(BlobStores.create("transient", new Properties()));
        server = S3Proxy.builder()
                .blobStore(store)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .endpoint(URI.create("http://127.0.0.1:0"))
                // Nothing is in flight at the end of a test: no graceful drain of idle keep-alive connections.
                .stopTimeout(0)
                .build();
        try {
            server.start();
            while (!server.getState().equals(AbstractLifeCycle.STARTED)) {
                Thread.sleep(10);
            }
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not start", e);
        }
        URI endpoint = URI.create("http://127.0.0.1:" + server.getPort());
        client = clientFor(endpoint);
        client.createBucket(bucket -> bucket.bucket(BUCKET));
        return endpoint;
    }

    /** A path-style client with the test credentials. */
    public static S3Client clientFor(URI endpoint) {
        return clientBuilderFor(endpoint).build();
    }

    /** {@link #clientFor}'s builder, for a test that needs more (its own retry strategy). */
    static S3ClientBuilder clientBuilderFor(URI endpoint) {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)));
    }

    public S3Client client() {
        return client;
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(client, new TestInjector.AnnotatedAndMatchesType(InjectS3.class, S3Client.class));
    }

    @Override
    public void stop() {
        if (client != null) {
            client.close();
            client = null;
        }
        if (server != null) {
            try {
                server.stop();
            } catch (Exception e) {
                throw new IllegalStateException("S3Proxy did not stop", e);
            }
            store.close();
            server = null;
        }
    }
}
