package dev.imagegateway.api;

import static io.restassured.RestAssured.given;
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
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code OPTIONS} advertises is what the route serves: every method it lists is answered, none with 405. */
@QuarkusTest
@WithTestResource(S3TestServer.class)
@WithTestResource(UpstreamTestServer.class)
class AdvertisedMethodsTest {

    @InjectUpstream
    WireMockServer upstream;

    @Test
    void optionsOnTheGenerationsRoute_advertisesPostAndOptions_andNotHead() {
        Response options = given().header("Authorization", "Bearer " + Gateway.CALLER_KEY).options(Gateway.PATH);

        assertThat(options.statusCode()).isBetween(200, 204);
        List<String> allowed = allowed(options);
        assertThat(allowed).contains("POST").doesNotContain("HEAD", "GET");
    }

    @Test
    void everyAdvertisedMethod_isServed_notAnswered405() {
        upstream.resetAll();
        UpstreamStubs.answerWith(upstream, List.of(TestImages.png(8, 8)));
        List<String> allowed = allowed(given().options(Gateway.PATH));

        for (String method : allowed) {
            Response response = given().header("Authorization", "Bearer " + Gateway.CALLER_KEY)
                    .contentType(ContentType.JSON).body("{\"prompt\":\"x\",\"response_format\":\"b64_json\"}")
                    .request(method, Gateway.PATH);
            assertThat(response.statusCode()).as(method).isNotEqualTo(405);
        }
    }

    @Test
    void head_isA405WithTheEnvelope_asItIsNotAdvertised() {
        Response head = given().header("Authorization", "Bearer " + Gateway.CALLER_KEY).head(Gateway.PATH);

        assertThat(head.statusCode()).isEqualTo(405);
        assertThat(head.header("x-request-id")).isNotBlank();
    }

    private static List<String> allowed(Response options) {
        List<String> headers = options.headers().getValues("Allow");
        assertThat(headers).as("Allow header").isNotEmpty();
        return headers.stream().flatMap(allow -> Arrays.stream(allow.split(","))).map(String::strip).toList();
    }
}
