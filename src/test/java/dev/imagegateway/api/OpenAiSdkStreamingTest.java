package dev.imagegateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.SseException;
import com.openai.models.images.ImageGenCompletedEvent;
import com.openai.models.images.ImageGenPartialImageEvent;
import com.openai.models.images.ImageGenStreamEvent;
import com.openai.models.images.ImageGenerateParams;
import com.openai.models.images.ImageModel;
import dev.imagegateway.testsupport.Gateway;
import dev.imagegateway.testsupport.S3TestServer;
import dev.imagegateway.testsupport.TestImages;
import dev.imagegateway.testsupport.UpstreamStreamStubs;
import dev.imagegateway.testsupport.UpstreamStubs;
import dev.imagegateway.testsupport.UpstreamTestServer;
import dev.imagegateway.testsupport.UpstreamTestServer.InjectUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The official OpenAI Java SDK's {@code images().generateStreaming(...)} reads the gateway's streams. */
@QuarkusTest
@WithTestResource(S3TestServer.class)
@WithTestResource(UpstreamTestServer.class)
class OpenAiSdkStreamingTest {

    @InjectUpstream
    WireMockServer upstream;

    @BeforeEach
    void resetUpstream() {
        upstream.resetAll();
    }

    private OpenAIClient client() {
        return OpenAIOkHttpClient.builder()
                .apiKey(Gateway.CALLER_KEY)
                .baseUrl("http://localhost:" + RestAssured.port + "/v1")
                .maxRetries(0)
                .build();
    }

    private static List<ImageGenStreamEvent> readAll(StreamResponse<ImageGenStreamEvent> stream) {
        try (stream) {
            return stream.stream().toList();
        }
    }

    @Test
    void sdk_b64Stream_partialsThenCompleted_withTheirImagesAndUsage() {
        byte[] partial = TestImages.png(8, 8);
        byte[] last = TestImages.png(32, 32);
        UpstreamStreamStubs.streamWith(upstream, List.of(partial), last);

        List<ImageGenStreamEvent> events = readAll(client().images().generateStreaming(ImageGenerateParams.builder()
                .prompt("a cute baby sea otter").model(ImageModel.GPT_IMAGE_1).partialImages(1).build()));

        assertThat(events).hasSize(2);
        ImageGenPartialImageEvent first = events.get(0).asGenerationPartialImage();
        assertThat(first.b64Json()).isEqualTo(TestImages.base64(partial));
        assertThat(first.partialImageIndex()).isZero();
        assertThat(first.size().asString()).isEqualTo("1024x1024");
        assertThat(first.outputFormat().asString()).isEqualTo("png");
        ImageGenCompletedEvent completed = events.get(1).asGenerationCompleted();
        assertThat(completed.b64Json()).isEqualTo(TestImages.base64(last));
        assertThat(completed.usage().totalTokens()).isEqualTo(UpstreamStubs.usage().get("total_tokens").asLong());
        assertThat(completed.createdAt()).isEqualTo(1732579200L);
        // What the SDK sent was a streaming request, and the gateway passed that on.
        upstream.verify(WireMock.postRequestedFor(WireMock.urlEqualTo(UpstreamStubs.PATH))
                .withRequestBody(WireMock.matchingJsonPath("$.stream", WireMock.equalTo("true")))
                .withRequestBody(WireMock.matchingJsonPath("$.partial_images", WireMock.equalTo("1"))));
    }

    @Test
    void sdk_urlStream_completedCarriesALinkThatDownloadsTheImage() {
        byte[] last = TestImages.png(40, 40);
        UpstreamStreamStubs.streamWith(upstream, List.of(TestImages.png(8, 8)), last);

        List<ImageGenStreamEvent> events = readAll(client().images().generateStreaming(ImageGenerateParams.builder()
                .prompt("a cute baby sea otter").model(ImageModel.GPT_IMAGE_1).partialImages(1)
                .responseFormat(ImageGenerateParams.ResponseFormat.URL).build()));

        ImageGenCompletedEvent completed = events.get(events.size() - 1).asGenerationCompleted();
        assertThat(completed._b64Json().isMissing()).isTrue();
        String url = completed._additionalProperties().get("url").convert(String.class);
        assertThat(Gateway.download(url).body()).isEqualTo(last);
    }

    @Test
    void sdk_brokenStream_surfacesOurErrorEventAsAnSseException() {
        upstream.stubFor(WireMock.post(WireMock.urlEqualTo(UpstreamStubs.PATH)).willReturn(UpstreamStreamStubs.sse(
                UpstreamStreamStubs.stream(List.of(TestImages.png(8, 8)), null))));

        assertThatThrownBy(() -> readAll(client().images().generateStreaming(ImageGenerateParams.builder()
                .prompt("a cute baby sea otter").model(ImageModel.GPT_IMAGE_1).partialImages(1).build())))
                .isInstanceOfSatisfying(SseException.class, e -> {
                    assertThat(e.code()).hasValue("upstream_invalid_response");
                    assertThat(e.type()).hasValue("server_error");
                });
    }
}
