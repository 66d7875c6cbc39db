package dev.imagegateway.fuzz;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.imagegateway.catalog.ModelCatalog;
import dev.imagegateway.testsupport.Gateway;
import dev.imagegateway.testsupport.S3TestServer;
import dev.imagegateway.testsupport.UpstreamStubs;
import dev.imagegateway.testsupport.UpstreamTestServer;
import dev.imagegateway.testsupport.UpstreamTestServer.InjectUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Thousands of generated and mutated bodies through the real Lambda handler path. Never a 5xx, always
 * the error envelope, and never an upstream call for a request the gateway refused. Replay a failure
 * with {@code -Dfuzz.seed=<seed>}; run long with {@code -Dfuzz.cases=100000}.
 */
@QuarkusTest
@WithTestResource(S3TestServer.class)
@WithTestResource(UpstreamTestServer.class)
class RequestFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @InjectUpstream
    WireMockServer upstream;

    /** The application's own catalog, so that every model it serves, operator entries included, is fuzzed. */
    @Inject
    ModelCatalog catalog;

    @Test
    void generatedAndMutatedBodies_neverCause5xx_alwaysGetTheEnvelope_andInvalidOnesNeverReachUpstream()
            throws Exception {
        int cases = Integer.getInteger("fuzz.cases", 2_000);
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        stubAnUpstreamThatAnswersInTheRequestedFormat();
        RequestBodyGenerator generator = new RequestBodyGenerator(seed, catalog);
        int accepted = 0;
        for (int i = 0; i < cases; i++) {
            byte[] body = generator.next();
            int callsBefore = upstreamCalls();
            Response response = given().header("Authorization", "Bearer " + Gateway.CALLER_KEY)
                    .contentType(ContentType.JSON).body(body).post(Gateway.PATH);
            String replay = "seed=" + seed + " case=" + i + " body=" + describe(body) + " answer="
                    + abbreviate(response.asString());
            assertThat(response.statusCode()).as(replay).isLessThan(500);
            if (response.statusCode() == 200) {
                accepted++;
                continue;
            }
            JsonNode error = JSON.readTree(response.asByteArray()).get("error");
            assertThat(error).as(replay).isNotNull();
            assertThat(error.get("message").asText()).as(replay).isNotBlank();
            assertThat(error.get("type").asText()).as(replay).isIn("invalid_request_error", "image_generation_user_error");
            assertThat(response.header("x-request-id")).as(replay).isNotBlank();
            assertThat(upstreamCalls()).as(replay + " reached the upstream").isEqualTo(callsBefore);
        }
        System.out.printf("Fuzzed %d request bodies (seed %d): %d accepted, %d refused%n", cases, seed, accepted,
                cases - accepted);
        assertThat(accepted).as("the generator also produces valid requests").isPositive();
    }

    private void stubAnUpstreamThatAnswersInTheRequestedFormat() {
        upstream.resetAll();
        UpstreamStubs.answerInTheRequestedFormat(upstream);
    }

    private int upstreamCalls() {
        return upstream.countRequestsMatching(postRequestedFor(urlEqualTo(UpstreamStubs.PATH)).build()).getCount();
    }

    private static String describe(byte[] body) {
        return abbreviate(new String(body, StandardCharsets.UTF_8));
    }

    private static String abbreviate(String text) {
        return text.length() > 600 ? text.substring(0, 600) + "…(" + text.length() + " chars)" : text;
    }
}
