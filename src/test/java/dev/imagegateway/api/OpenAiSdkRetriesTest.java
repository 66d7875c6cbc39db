package dev.imagegateway.api;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.images.ImageGenerateParams;
import com.openai.models.images.ImageModel;
import dev.imagegateway.testsupport.Gateway;
import dev.imagegateway.testsupport.S3TestServer;
import dev.imagegateway.testsupport.TestImages;
import dev.imagegateway.testsupport.UpstreamStubs;
import dev.imagegateway.testsupport.UpstreamTestServer;
import dev.imagegateway.testsupport.UpstreamTestServer.InjectUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The official Java SDK with its default retries (two more attempts for 408, 409, 429 and 5xx, unless
 * the answer says {@code x-should-retry: false}): it never buys the same images twice because of us,
 * and still retries where nothing was bought.
 */
@QuarkusTest
@WithTestResource(S3TestServer.class)
@WithTestResource(UpstreamTestServer.class)
class OpenAiSdkRetriesTest {

    @InjectUpstream
    WireMockServer upstream;

    @BeforeEach
    void resetUpstream() {
        upstream.resetAll();
    }

    private OpenAIClient sdkWithDefaultRetries() {
        return OpenAIOkHttpClient.builder()
                .apiKey(Gateway.CALLER_KEY)
                .baseUrl("http://localhost:" + RestAssured.port + "/v1")
                .timeout(Duration.ofSeconds(30))
                .build();
    }

    @Test
    void timeoutAfterTheUpstreamAcceptedTheRequest_isNotRetriedByTheSdk_oneUpstreamCall() {
        upstream.stubFor(post(urlEqualTo(UpstreamStubs.PATH)).willReturn(
                UpstreamStubs.json(200, UpstreamStubs.imagesBody(List.of(TestImages.png(8, 8)), false))
                        .withFixedDelay(4_500))); // past the 3 s test upstream timeout

        Throwable failure = catchThrowable(() -> generate(sdkWithDefaultRetries()));

        assertThat(failure).isInstanceOf(OpenAIServiceException.class);
        assertThat(((OpenAIServiceException) failure).statusCode()).isEqualTo(504);
        upstream.verify(1, postRequestedFor(urlEqualTo(UpstreamStubs.PATH)));
    }

    @Test
    void upstream500_mayHaveGenerated_isNotRetriedByTheSdk_oneUpstreamCall() {
        UpstreamStubs.answerWith(upstream, 500, UpstreamStubs.error("server-error"));

        Throwable failure = catchThrowable(() -> generate(sdkWithDefaultRetries()));

        assertThat(((OpenAIServiceException) failure).statusCode()).isEqualTo(502);
        upstream.verify(1, postRequestedFor(urlEqualTo(UpstreamStubs.PATH)));
    }

    @Test
    void upstream503BeforeAcceptance_nothingWasBought_theSdkRetries() {
        UpstreamStubs.answerWith(upstream, 503, UpstreamStubs.error("server-error"));

        Throwable failure = catchThrowable(() -> generate(sdkWithDefaultRetries()));

        assertThat(((OpenAIServiceException) failure).statusCode()).isEqualTo(502);
        // The gateway's own attempts (3) for each of the SDK's (3): the SDK did retry.
        assertThat(upstream.countRequestsMatching(postRequestedFor(urlEqualTo(UpstreamStubs.PATH)).build())
                .getCount()).isGreaterThan(3);
    }

    @Test
    void insufficientQuota_isRetriedByNoOne_oneUpstreamCall() {
        UpstreamStubs.answerWith(upstream, 429, UpstreamStubs.error("insufficient-quota"));

        Throwable failure = catchThrowable(() -> generate(sdkWithDefaultRetries()));

        assertThat(((OpenAIServiceException) failure).statusCode()).isEqualTo(429);
        upstream.verify(1, postRequestedFor(urlEqualTo(UpstreamStubs.PATH)));
    }

    private static void generate(OpenAIClient client) {
        client.images().generate(ImageGenerateParams.builder().model(ImageModel.DALL_E_2).prompt("an otter")
                .responseFormat(ImageGenerateParams.ResponseFormat.B64_JSON).build());
    }
}
