package dev.imagegateway.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegateway.testsupport.Gateway;
import dev.imagegateway.testsupport.S3TestServer;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** A pre-signed URL really stops working when its lifetime is over (S3Proxy checks SigV4 expiry). */
class PresignedUrlLifetimeTest {

    private final S3TestServer server = new S3TestServer();
    private URI endpoint;

    @BeforeEach
    void start() {
        endpoint = server.startServer();
        server.client().putObject(put -> put.bucket(S3TestServer.BUCKET).key("images/k.png").contentType("image/png"),
                RequestBody.fromString("png", StandardCharsets.US_ASCII));
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private String sign(Duration ttl) {
        var credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(S3TestServer.ACCESS_KEY, S3TestServer.SECRET_KEY));
        try (S3Presigner presigner = S3Presigner.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .credentialsProvider(new LongLivedSigningCredentials(() -> credentials, ttl, Clock.systemUTC()))
                .build()) {
            return presigner.presignGetObject(p -> p.signatureDuration(ttl)
                    .getObjectRequest(get -> get.bucket(S3TestServer.BUCKET).key("images/k.png"))).url().toString();
        }
    }

    @Test
    void shortLivedUrl_worksAtFirst_andIsRefusedOnceExpired() throws InterruptedException {
        String url = sign(Duration.ofSeconds(2));
        assertThat(url).contains("X-Amz-Expires=2");
        assertThat(Gateway.download(url).statusCode()).isEqualTo(200);

        Thread.sleep(3_500);

        HttpResponse<byte[]> expired = Gateway.download(url);
        assertThat(expired.statusCode()).isEqualTo(403);
        assertThat(new String(expired.body(), StandardCharsets.UTF_8)).contains("expired");
    }

    @Test
    void sixtyMinuteUrl_carriesExpiresOf3600() {
        String url = sign(Duration.ofMinutes(60));
        assertThat(url).contains("X-Amz-Expires=3600");
        assertThat(Gateway.download(url).statusCode()).isEqualTo(200);
    }
}
