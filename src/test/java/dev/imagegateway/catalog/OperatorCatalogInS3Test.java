package dev.imagegateway.catalog;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.imagegateway.testsupport.Gateway;
import dev.imagegateway.testsupport.TestImages;
import dev.imagegateway.testsupport.UpstreamStubs;
import dev.imagegateway.testsupport.UpstreamTestServer;
import dev.imagegateway.testsupport.UpstreamTestServer.InjectUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An operator catalog kept as an S3 object ({@code s3://bucket/key}), read at start-up with the gateway's S3 client. */
@QuarkusTest
@WithTestResource(CatalogInS3TestServer.class)
@WithTestResource(UpstreamTestServer.class)
class OperatorCatalogInS3Test {

    @InjectUpstream
    WireMockServer upstream;

    @Test
    void modelFromTheS3Catalog_isListed_andServedUnderItsUpstreamName() {
        upstream.resetAll();
        UpstreamStubs.answerWith(upstream, List.of(TestImages.png(4, 4)));

        assertThat(given().header("Authorization", "Bearer " + Gateway.CALLER_KEY).get("/v1/models/s3-image-1")
                .jsonPath().getString("owned_by")).isEqualTo("s3-operator");
        assertThat(Gateway.generate("{\"model\":\"s3-image-1\",\"prompt\":\"otter\"}").statusCode()).isEqualTo(200);
        upstream.verify(1, postRequestedFor(urlEqualTo(UpstreamStubs.PATH))
                .withRequestBody(equalToJson("{\"model\":\"gpt-image-2.5-flare\",\"prompt\":\"otter\",\"n\":1}")));
    }
}
