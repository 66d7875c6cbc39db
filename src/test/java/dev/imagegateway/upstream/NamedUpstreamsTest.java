package dev.imagegateway.upstream;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.imagegateway.testsupport.Gateway;
import dev.imagegateway.testsupport.NamedUpstreamsTestServer;
import dev.imagegateway.testsupport.NamedUpstreamsTestServer.InjectNamedUpstreams;
import dev.imagegateway.testsupport.S3TestServer;
import dev.imagegateway.testsupport.TestImages;
import dev.imagegateway.testsupport.UpstreamStubs;
import dev.imagegateway.testsupport.UpstreamTestServer;
import dev.imagegateway.testsupport.UpstreamTestServer.InjectUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A catalog entry names its own upstream, the model name to send there, and a fallback: each upstream
 * is called with its own key, and the fallback only after a failure that bought nothing.
 */
@QuarkusTest
@WithTestResource(S3TestServer.class)
@WithTestResource(UpstreamTestServer.class)
@WithTestResource(NamedUpstreamsTestServer.class)
class NamedUpstreamsTest {

    private static final String ACME_B64 = "{\"model\":\"acme-image\",\"prompt\":\"otter\"}";

    @InjectUpstream
    WireMockServer defaultUpstream;

    @InjectNamedUpstreams
    NamedUpstreamsTestServer named;

    private final byte[] png = TestImages.png(8, 8);

    @BeforeEach
    void reset() {
        defaultUpstream.resetAll();
        named.acme().resetAll();
        named.backup().resetAll();
    }

    @Test
    void modelWithItsOwnUpstream_goesThereWithThatUpstreamsKeyAndModelName_notToTheDefault() {
        UpstreamStubs.answerWith(named.acme(), List.of(png));

        Response response = Gateway.generate(ACME_B64);

        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        named.acme().verify(1, postRequestedFor(urlEqualTo(UpstreamStubs.PATH))
                .withHeader("Authorization", equalTo("Bearer " + NamedUpstreamsTestServer.ACME_KEY))
                .withRequestBody(matchingJsonPath("$.model", equalTo("acme-image-v1"))));
        assertThat(defaultUpstream.getAllServeEvents()).isEmpty();
        assertThat(named.backup().getAllServeEvents()).isEmpty();
    }

    @Test
    void upstreamRefusingBeforeAcceptance_fallsBackToTheNext_withItsOwnKey() {
        UpstreamStubs.answerWith(named.acme(), 503, UpstreamStubs.error("server-error"));
        UpstreamStubs.answerWith(named.backup(), List.of(png));

        Response response = Gateway.generate(ACME_B64);

        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        assertThat(response.jsonPath().getString("data[0].b64_json")).isEqualTo(TestImages.base64(png));
        named.backup().verify(1, postRequestedFor(urlEqualTo(UpstreamStubs.PATH))
                .withHeader("Authorization", equalTo("Bearer " + NamedUpstreamsTestServer.BACKUP_KEY)));
    }

    @Test
    void upstreamThatMayHaveGenerated_isNotFollowedByTheFallback_noImagesBoughtTwice() {
        UpstreamStubs.answerWith(named.acme(), 500, UpstreamStubs.error("server-error"));
        UpstreamStubs.answerWith(named.backup(), List.of(png));

        Response response = Gateway.generate(ACME_B64);

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.header("x-should-retry")).isEqualTo("false");
        named.acme().verify(1, postRequestedFor(urlEqualTo(UpstreamStubs.PATH)));
        assertThat(named.backup().getAllServeEvents()).isEmpty();
    }

    @Test
    void modelsWithoutAnUpstream_stillGoToTheDefaultUpstream() {
        UpstreamStubs.answerWith(defaultUpstream, List.of(png));

        Response response = Gateway.generate("{\"model\":\"gpt-image-2\",\"prompt\":\"otter\"}");

        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        defaultUpstream.verify(1, postRequestedFor(urlEqualTo(UpstreamStubs.PATH))
                .withHeader("Authorization", equalTo("Bearer " + UpstreamTestServer.UPSTREAM_KEY)));
        assertThat(named.acme().getAllServeEvents()).isEmpty();
    }
}
