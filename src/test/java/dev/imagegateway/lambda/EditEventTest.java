package dev.imagegateway.lambda;

import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Request;
import dev.imagegateway.testsupport.Gateway;
import dev.imagegateway.testsupport.HttpEvents;
import dev.imagegateway.testsupport.HttpEvents.Answer;
import dev.imagegateway.testsupport.MultipartForm;
import dev.imagegateway.testsupport.S3TestServer;
import dev.imagegateway.testsupport.TestImages;
import dev.imagegateway.testsupport.UpstreamStubs;
import dev.imagegateway.testsupport.UpstreamTestServer;
import dev.imagegateway.testsupport.UpstreamTestServer.InjectUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Multipart edits as API Gateway delivers them: the body base64-encoded in the event
 * ({@code isBase64Encoded: true}), given as raw event bytes to the function's handler, past the event
 * guard and the Lambda bridge, byte for byte to the upstream.
 */
@QuarkusTest
@WithTestResource(S3TestServer.class)
@WithTestResource(UpstreamTestServer.class)
class EditEventTest {

    @InjectUpstream
    WireMockServer upstream;

    @BeforeEach
    void upstreamAnswersEdits() {
        upstream.resetAll();
        UpstreamStubs.answerEditsWith(upstream, List.of(TestImages.png(16, 16)));
    }

    @Test
    void theSampleEvent_aBase64MultipartBody_isEditedAndLinked() throws IOException {
        Answer answer = MalformedHttpEventsTest.invoke(HttpEvents.sample("http-edit-multipart.json"));

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        String url = answer.json().at("/data/0/url").asText();
        assertThat(Gateway.download(url).statusCode()).isEqualTo(200);
        Request sent = upstream.findAll(postRequestedFor(urlEqualTo(UpstreamStubs.EDITS_PATH))).get(0);
        assertThat(TestImages.dimensions(sent.getPart("image").getBody().asBytes())).containsExactly(16, 16);
        assertThat(sent.getPart("prompt").getBody().asString()).isEqualTo("Put a tiny beret on the otter");
    }

    @Test
    void imageBytesOfEveryValue_arriveUnchanged_throughBase64AndTheBridge() throws IOException {
        // A valid PNG header followed by every byte value: CR, LF, NUL and bytes above 0x7f must all survive.
        byte[] png = TestImages.png(4, 4);
        byte[] image = new byte[png.length + 256 * 4];
        System.arraycopy(png, 0, image, 0, png.length);
        for (int i = 0; i < 256 * 4; i++) {
            image[png.length + i] = (byte) i;
        }
        MultipartForm form = new MultipartForm().text("model", "gpt-image-2").text("prompt", "x").png("image", image);

        Answer answer = MalformedHttpEventsTest.invoke(event(form));

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        Request sent = upstream.findAll(postRequestedFor(urlEqualTo(UpstreamStubs.EDITS_PATH))).get(0);
        assertThat(sent.getPart("image").getBody().asBytes()).isEqualTo(image);
    }

    @Test
    void aMalformedBase64MultipartBody_is400_withoutAnUpstreamCall() throws IOException {
        byte[] body = new MultipartForm().text("prompt", "x").png("image", TestImages.png(4, 4)).bytes();
        HttpEvents event = event(new MultipartForm()).bodyBytes(java.util.Arrays.copyOf(body, body.length - 30));

        Answer answer = MalformedHttpEventsTest.invoke(event);

        MalformedHttpEventsTest.assertRefused(answer, null);
        upstream.verify(0, postRequestedFor(anyUrl()));
    }

    private static HttpEvents event(MultipartForm form) {
        return HttpEvents.sample("http-edit-multipart.json").header("content-type", form.contentType())
                .header("content-length", Integer.toString(form.bytes().length)).bodyBytes(form.bytes());
    }
}
