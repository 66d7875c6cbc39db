package dev.imagegateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.imagegateway.storage.ImageKeys;
import dev.imagegateway.testsupport.Gateway;
import dev.imagegateway.testsupport.S3TestServer;
import dev.imagegateway.testsupport.S3TestServer.InjectS3;
import dev.imagegateway.testsupport.TestImages;
import dev.imagegateway.testsupport.UpstreamStreamStubs;
import dev.imagegateway.testsupport.UpstreamStreamStubs.Event;
import dev.imagegateway.testsupport.UpstreamTestServer;
import dev.imagegateway.testsupport.UpstreamTestServer.InjectUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/** A buffered event stream is one Lambda answer: at most 6 MB, whatever the upstream streamed. */
@QuarkusTest
@WithTestResource(S3TestServer.class)
@WithTestResource(UpstreamTestServer.class)
class StreamedResponseSizeTest {

    /** Lambda's limit for a synchronous answer. */
    private static final int LAMBDA_LIMIT = 6_291_456;
    private static final String STREAM = "{\"model\":\"gpt-image-1\",\"prompt\":\"otter\",\"stream\":true,\"partial_images\":3";

    @InjectUpstream
    WireMockServer upstream;

    @InjectS3
    S3Client s3;

    @BeforeEach
    void resetUpstream() {
        upstream.resetAll();
    }

    @Test
    void partialsThatWouldNotFit_areDroppedEarliestFirst_theCompletedImageAlwaysArrives() {
        // Three 2.7 MB partials and a 1.3 MB final image: 9.3 MB of base64 streamed upstream.
        List<byte[]> partials = List.of(TestImages.pngSignedNoise(2_000_000, 1), TestImages.pngSignedNoise(2_000_000, 2),
                TestImages.pngSignedNoise(2_000_000, 3));
        byte[] last = TestImages.pngSignedNoise(1_000_000, 4);
        UpstreamStreamStubs.streamWith(upstream, partials, last);

        Response response = Gateway.generate(STREAM + "}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.asByteArray().length).isLessThan(LAMBDA_LIMIT);
        List<Event> events = UpstreamStreamStubs.read(response.asString());
        assertThat(events).extracting(Event::name).containsExactly(UpstreamStreamStubs.PARTIAL,
                UpstreamStreamStubs.COMPLETED);
        assertThat(events.get(0).data().get("partial_image_index").asInt()).isEqualTo(2);
        assertThat(events.get(0).data().get("b64_json").asText()).isEqualTo(TestImages.base64(partials.get(2)));
        assertThat(events.get(1).data().get("b64_json").asText()).isEqualTo(TestImages.base64(last));
    }

    @Test
    void withUrl_thePartialsStillHaveToFit_butTheFinalImageIsALink() {
        List<byte[]> partials = List.of(TestImages.pngSignedNoise(2_500_000, 5), TestImages.pngSignedNoise(2_500_000, 6));
        byte[] last = TestImages.pngSignedNoise(5_000_000, 7);
        UpstreamStreamStubs.streamWith(upstream, partials, last);

        Response response = Gateway.generate(STREAM + ",\"response_format\":\"url\"}");

        assertThat(response.asByteArray().length).isLessThan(LAMBDA_LIMIT);
        List<Event> events = UpstreamStreamStubs.read(response.asString());
        assertThat(events).extracting(Event::name).containsExactly(UpstreamStreamStubs.PARTIAL,
                UpstreamStreamStubs.COMPLETED);
        assertThat(events.get(0).data().get("partial_image_index").asInt()).isEqualTo(1);
        assertThat(Gateway.download(events.get(1).data().get("url").asText()).body()).isEqualTo(last);
    }

    @Test
    void finalImageTooLargeForBase64_endsWithResponseTooLarge_andTheImageIsKept() {
        byte[] big = TestImages.pngSignedNoise(5_000_000, 8); // 6.7 MB as base64
        UpstreamStreamStubs.streamWith(upstream, List.of(TestImages.png(4, 4)), big);

        Response response = Gateway.generate(STREAM + "}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.asByteArray().length).isLessThan(LAMBDA_LIMIT);
        List<Event> events = UpstreamStreamStubs.read(response.asString());
        Event last = events.get(events.size() - 1);
        assertThat(last.name()).isEqualTo("error");
        assertThat(last.data().at("/error/code").asText()).isEqualTo("response_too_large");
        String requestId = response.header("x-request-id");
        assertThat(last.data().at("/error/message").asText()).contains("response_format=url", requestId);
        byte[] kept = s3.getObjectAsBytes(get -> get.bucket(S3TestServer.BUCKET)
                .key(ImageKeys.of(Instant.now(), requestId, 0, "png"))).asByteArray();
        assertThat(kept).isEqualTo(big);
    }
}
