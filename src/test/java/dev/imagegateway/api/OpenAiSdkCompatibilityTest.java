package dev.imagegateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.images.Image;
import com.openai.models.images.ImageGenerateParams;
import com.openai.models.images.ImageModel;
import com.openai.models.images.ImagesResponse;
import com.openai.models.models.Model;
import com.openai.models.models.ModelRetrieveParams;
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
        assertThat(response.usage().orElseThrow().totalTokens())
                .isEqualTo(UpstreamStubs.usage().get("total_tokens").asLong());
        assertThat(upstream.getAllServeEvents()).hasSize(1);
    }

    @Test
    void sdk_seesOurErrorsAsOpenAiErrors() {
        assertThatThrownBy(() -> client(Gateway.CALLER_KEY).images().generate(ImageGenerateParams.builder()
                .prompt("x").model(ImageModel.DALL_E_3).n(2).build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.param()).hasValue("n");
                    assertThat(e.code()).hasValue("integer_above_max_value");
                });
        assertThatThrownBy(() -> client("sk-gateway-wrong").images().generate(ImageGenerateParams.builder()
                .prompt("x").build()))
                .isInstanceOf(UnauthorizedException.class);
    }

    @Test
    void sdk_listsTheCatalogsModels_andRetrievesOne() {
        OpenAIClient client = client(Gateway.CALLER_KEY);

        List<String> ids = client.models().list().autoPager().stream().map(Model::id).toList();
        Model model = client.models().retrieve(ModelRetrieveParams.builder().model("gpt-image-2").build());

        assertThat(ids).contains("gpt-image-2", "gpt-image-2-2026-04-21", "gpt-image-2.5-flare",
                "gpt-image-2.5-sunburst", "gpt-image-2.6-flare", "gpt-image-2.6-sunburst", "dall-e-2");
        assertThat(model.id()).isEqualTo("gpt-image-2");
        assertThat(model.created()).isEqualTo(1776729600L);
        assertThat(model.ownedBy()).isEqualTo("openai");
        assertThat(upstream.getAllServeEvents()).isEmpty();
    }

    @Test
    void sdk_retrievingAModelNotInTheCatalog_isNotFound() {
        assertThatThrownBy(() -> client(Gateway.CALLER_KEY).models()
                .retrieve(ModelRetrieveParams.builder().model("dall-e-4").build()))
                .isInstanceOfSatisfying(NotFoundException.class, e -> {
                    assertThat(e.code()).hasValue("model_not_found");
                    assertThat(e.type()).hasValue("invalid_request_error");
                });
        assertThatThrownBy(() -> client("sk-gateway-wrong").models().list())
                .isInstanceOf(UnauthorizedException.class);
    }
}
