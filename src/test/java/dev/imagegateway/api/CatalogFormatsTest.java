package dev.imagegateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.imagegateway.testsupport.Gateway;
import dev.imagegateway.testsupport.S3TestServer;
import dev.imagegateway.testsupport.TestImages;
import dev.imagegateway.testsupport.UpstreamStubs;
import dev.imagegateway.testsupport.UpstreamTestServer;
import dev.imagegateway.testsupport.UpstreamTestServer.InjectUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Formats the catalog adds: gif checked by its signature, svg (no signature) stored as a download. */
@QuarkusTest
@WithTestResource(S3TestServer.class)
@WithTestResource(UpstreamTestServer.class)
class CatalogFormatsTest {

    @InjectUpstream
    WireMockServer upstream;

    @BeforeEach
    void reset() {
        upstream.resetAll();
    }

    private static String body(String format) {
        return "{\"model\":\"gpt-image-2.6-flare\",\"prompt\":\"otter\",\"output_format\":\"" + format
                + "\",\"response_format\":\"url\"}";
    }

    @Test
    void gif_isStoredAsAGif() {
        byte[] gif = TestImages.gif(4, 4);
        UpstreamStubs.answerWith(upstream, List.of(gif));

        HttpResponse<byte[]> download = Gateway.download(Gateway.generate(body("gif")).jsonPath().getString("data[0].url"));

        assertThat(download.body()).isEqualTo(gif);
        assertThat(download.headers().firstValue("Content-Type")).hasValue("image/gif");
    }

    @Test
    void bytesThatAreNoGif_areAnInvalidUpstreamAnswer() {
        UpstreamStubs.answerWith(upstream, List.of(TestImages.png(4, 4)));

        RequestErrorsTest.assertEnvelope(Gateway.generate(body("gif")), 502, "server_error", "upstream_invalid_response");
    }

    @Test
    void svg_isStoredAsAnAttachment_soNoBrowserRendersItInline() {
        byte[] svg = TestImages.svg();
        UpstreamStubs.answerWith(upstream, List.of(svg));

        Response response = Gateway.generate(body("svg"));
        HttpResponse<byte[]> download = Gateway.download(response.jsonPath().getString("data[0].url"));

        assertThat(download.body()).isEqualTo(svg);
        assertThat(download.headers().firstValue("Content-Type")).hasValue("image/svg+xml");
        assertThat(download.headers().firstValue("Content-Disposition")).hasValue("attachment");
    }
}
