package dev.imagegateway.startup;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.imagegateway.testsupport.LogCapture;
import dev.imagegateway.testsupport.S3TestServer;
import dev.imagegateway.testsupport.S3TestServer.InjectS3;
import dev.imagegateway.testsupport.UpstreamTestServer;
import dev.imagegateway.testsupport.UpstreamTestServer.InjectUpstream;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/** Priming runs the whole request path without touching the real upstream or the real bucket. */
@QuarkusTest
@WithTestResource(S3TestServer.class)
@WithTestResource(UpstreamTestServer.class)
class ColdStartPrimingTest {

    @Inject
    ColdStartPriming priming;

    @InjectUpstream
    WireMockServer upstream;

    @InjectS3
    S3Client s3;

    @Test
    void priming_succeeds_offline_andLeavesNoTrace() {
        upstream.resetAll();
        try (LogCapture logs = LogCapture.start()) {
            priming.onStart(new StartupEvent());

            assertThat(logs.all()).contains("Primed the request path in").doesNotContain("Priming failed");
        }
        assertThat(upstream.getAllServeEvents()).isEmpty();
        assertThat(s3.listObjectsV2(list -> list.bucket(S3TestServer.BUCKET).prefix("images/1970/")).contents())
                .isEmpty();
    }
}
