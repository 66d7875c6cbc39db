package dev.imagegateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.BadRequestException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.images.Image;
import com.openai.models.images.ImageGenerateParams;
import com.openai.models.images.ImageModel;
import com.openai.models.images.ImagesResponse;
import dev.imagegateway.testsupport.Gateway;
import dev.imagegateway.testsupport.S3TestServer;
import dev.imagegateway.testsupport.TestImages;
import dev.imagegateway.testsupport.UpstreamStubs;
import dev.imagegateway.testsupport.UpstreamTestServer;
import dev.imagegateway.testsupport.UpstreamTestServer.InjectUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The official OpenAI Java SDK, a client we did not write, talks to the gateway as to OpenAI. */
@QuarkusTest
@WithTestResource(S3TestServer.class)
@WithTestResource(UpstreamTestServer.class)
class OpenAiSdkCompatibilityTest {

    @InjectUpstream
    WireMockServer upstream;

    @BeforeEach
    void resetUpstream() {
        upstream.resetAll();
    }

    private OpenAIClient client(String key) {
        return OpenAIOkHttpClient.builder()
                .apiKey(key)
                .baseUrl("http://localhost:" + RestAssured.port + "/v1")
                .maxRetries(0)
                .build();
    }

    @Test
    void sdk_urlResponse_linksDownloadTheImage() {
        byte[] png = TestImages.png(32, 32);
        UpstreamStubs.answerWith(upstream, List.of(png));

        ImagesResponse response = client(Gateway.CALLER_KEY).images().generate(ImageGenerateParams.builder()
                .prompt("a cute baby sea otter")
                .model(ImageModel.DALL_E_2)
                .responseFormat(ImageGenerateParams.ResponseFormat.URL)
                .build());

        List<Image> images = response.data().orElseThrow();
        assertThat(images).hasSize(1);
        assertThat(images.get(0).b64Json()).isEmpty();
        assertThat(Gateway.download(images.get(0).url().orElseThrow()).body()).isEqualTo(png);
    }

    @Test
    void sdk_b64Response_forAGptImageModel_carriesUsage() {
        byte[] png = TestImages.png(32, 32);
        UpstreamStubs.answerWith(upstream, List.of(png));

        ImagesResponse response = client(Gateway.CALLER_KEY).images().generate(ImageGenerateParams.builder()
                .prompt("a cute baby sea otter")
                .model(ImageModel.GPT_IMAGE_1)
                .build());

        assertThat(response.data().orElseThrow().get(0).b64Json()).hasValue(TestImages.base64(png));
        assertThat(response.usage().orElseThrow().totalTokens()).isEqualTo(4210);
        assertThat(upstream.getAllServeEvents()).hasSize(1);
    }

    @Test
    void sdk_seesOurErrorsAsOpenAiErrors() {
        assertThatThrownBy(() -> client(Gateway.CALLER_KEY).images().generate(ImageGenerateParams.builder()
                .prompt("x").model(ImageModel.DALL_E_3).n(2).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.param()).hasValue("n");
                    assertThat(e.code()).hasValue("invalid_value");
                });
        assertThatThrownBy(() -> client("sk-gateway-wrong").images().generate(ImageGenerateParams.builder()
                .prompt("x").build()))
                .isInstanceOf(UnauthorizedException.class);
    }
}
