package dev.imagegateway.api;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Request;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.images.ImageEditParams;
import com.openai.models.images.ImageEditStreamEvent;
import com.openai.models.images.ImageModel;
import com.openai.models.images.ImagesResponse;
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
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The official OpenAI Java SDK's {@code images().edit(...)} and {@code editStreaming(...)} against the gateway. */
@QuarkusTest
@WithTestResource(S3TestServer.class)
@WithTestResource(UpstreamTestServer.class)
class EditSdkTest {

    @InjectUpstream
    WireMockServer upstream;

    @BeforeEach
    void resetUpstream() {
        upstream.resetAll();
    }

    private OpenAIClient client() {
        return OpenAIOkHttpClient.builder().apiKey(Gateway.CALLER_KEY)
                .baseUrl("http://localhost:" + RestAssured.port + "/v1").maxRetries(0).build();
    }

    @Test
    void sdk_multipartEditWithAMask_getsALink_andTheUpstreamGetsBothFilesTypedAsImages() {
        byte[] edited = TestImages.png(20, 20);
        UpstreamStubs.answerEditsWith(upstream, List.of(edited));
        byte[] image = TestImages.png(32, 32);
        byte[] mask = TestImages.png(32, 32);

        ImagesResponse response = client().images().edit(ImageEditParams.builder().image(image).mask(mask)
                .prompt("Add a beret").model(ImageModel.of("gpt-image-2"))
                .responseFormat(ImageEditParams.ResponseFormat.URL).build());

        String url = response.data().orElseThrow().get(0).url().orElseThrow();
        assertThat(Gateway.download(url).body()).isEqualTo(edited);
        Request sent = upstream.findAll(postRequestedFor(urlEqualTo(UpstreamStubs.EDITS_PATH))).get(0);
        assertThat(sent.getPart("image").getBody().asBytes()).isEqualTo(image);
        // The SDK labels bytes application/octet-stream; OpenAI refuses that, so the gateway names the type.
        assertThat(sent.getPart("image").getHeader("Content-Type").firstValue()).isEqualTo("image/png");
        assertThat(sent.getPart("mask").getBody().asBytes()).isEqualTo(mask);
        assertThat(sent.getPart("response_format")).isNull(); // the gateway's own, never sent to GPT image models
    }

    @Test
    void sdk_severalImages_goUpstreamAsImageArrayParts_inOrder() {
        UpstreamStubs.answerEditsWith(upstream, List.of(TestImages.png(8, 8)));
        byte[] first = TestImages.png(8, 8);
        byte[] second = TestImages.jpeg(8, 8);

        ImagesResponse response = client().images().edit(ImageEditParams.builder()
                .imageOfInputStreams(List.of(new ByteArrayInputStream(first), new ByteArrayInputStream(second)))
                .prompt("Put them together").model(ImageModel.of("gpt-image-2")).build());

        assertThat(response.data().orElseThrow().get(0).b64Json()).isPresent();
        Request sent = upstream.findAll(postRequestedFor(urlEqualTo(UpstreamStubs.EDITS_PATH))).get(0);
        List<byte[]> images = sent.getParts().stream().filter(part -> part.getName().equals("image[]"))
                .map(part -> part.getBody().asBytes()).toList();
        assertThat(images).containsExactly(first, second);
    }

    @Test
    void sdk_editStreaming_readsImageEditEvents() {
        byte[] partial = TestImages.png(8, 8);
        byte[] last = TestImages.png(24, 24);
        UpstreamStreamStubs.streamEditsWith(upstream, List.of(partial), last);

        List<ImageEditStreamEvent> events = new ArrayList<>();
        try (StreamResponse<ImageEditStreamEvent> stream = client().images().editStreaming(ImageEditParams.builder()
                .image(TestImages.png(8, 8)).prompt("Add a beret").model(ImageModel.of("gpt-image-2")).partialImages(1)
                .build())) {
            stream.stream().forEach(events::add);
        }

        assertThat(events).hasSize(2);
        assertThat(events.get(0).asPartialImage().b64Json()).isEqualTo(TestImages.base64(partial));
        assertThat(events.get(1).asCompleted().b64Json()).isEqualTo(TestImages.base64(last));
        Request sent = upstream.findAll(postRequestedFor(urlEqualTo(UpstreamStubs.EDITS_PATH))).get(0);
        assertThat(sent.getPart("stream").getBody().asString()).isEqualTo("true");
        assertThat(sent.getPart("partial_images").getBody().asString()).isEqualTo("1");
        assertThat(sent.getHeader("Accept")).isEqualTo("text/event-stream");
    }
}
