package dev.imagegateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.imagegateway.testsupport.Gateway;
import dev.imagegateway.testsupport.LogCapture;
import dev.imagegateway.testsupport.S3TestServer;
import dev.imagegateway.testsupport.TestImages;
import dev.imagegateway.testsupport.UpstreamStubs;
import dev.imagegateway.testsupport.UpstreamTestServer;
import dev.imagegateway.testsupport.UpstreamTestServer.InjectUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Prompts reach the logs only when the operator opts in ({@code images.log.prompts=true}). */
@QuarkusTest
@TestProfile(PromptLoggingTest.PromptsLogged.class)
@WithTestResource(S3TestServer.class)
@WithTestResource(UpstreamTestServer.class)
class PromptLoggingTest {

    public static class PromptsLogged implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("images.log.prompts", "true");
        }
    }

    @InjectUpstream
    WireMockServer upstream;

    @Test
    void optedIn_theRequestLineCarriesThePrompt() {
        upstream.resetAll();
        UpstreamStubs.answerWith(upstream, List.of(TestImages.png(8, 8)));
        try (LogCapture logs = LogCapture.start()) {
            Gateway.generate("{\"prompt\":\"a lighthouse at dusk\",\"response_format\":\"b64_json\"}");
            assertThat(logs.lines()).anySatisfy(
                    line -> assertThat(line).contains("POST /v1/images/generations", "prompt=a lighthouse at dusk"));
        }
    }
}
