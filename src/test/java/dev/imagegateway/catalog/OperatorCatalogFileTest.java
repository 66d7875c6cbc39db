package dev.imagegateway.catalog;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
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
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An operator's catalog file, read at start-up, with unknown models refused and a live default model:
 * a new model, an alias of a retired one and a switched-off entry, served without a rebuild.
 */
@QuarkusTest
@TestProfile(OperatorCatalogFileTest.OperatorCatalog.class)
@WithTestResource(S3TestServer.class)
@WithTestResource(UpstreamTestServer.class)
class OperatorCatalogFileTest {

    /** The operator's settings: a catalog file, refusal of unknown models, and gpt-image-2 as the default. */
    public static class OperatorCatalog implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("images.models.catalog", "src/test/resources/catalogs/operator.json",
                    "images.models.unknown", "refuse",
                    "images.models.default", "gpt-image-2");
        }
    }

    @InjectUpstream
    WireMockServer upstream;

    @BeforeEach
    void answerWithAnImage() {
        upstream.resetAll();
        UpstreamStubs.answerWith(upstream, List.of(TestImages.png(4, 4)));
    }

    @Test
    void modelAddedByTheOperator_isServed_underItsUpstreamName_withItsExtraField() {
        Response response = Gateway.generate("{\"model\":\"acme-image-1\",\"prompt\":\"otter\",\"size\":\"2048x1152\","
                + "\"seed\":42}");

        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        upstream.verify(1, postRequestedFor(urlEqualTo(UpstreamStubs.PATH)).withRequestBody(equalToJson(
                "{\"model\":\"gpt-image-2\",\"prompt\":\"otter\",\"n\":1,\"size\":\"2048x1152\",\"seed\":42}")));
    }

    @Test
    void extraFieldOfTheOperatorsModel_isCheckedAgainstItsRule() {
        Response response = Gateway.generate("{\"model\":\"acme-image-1\",\"prompt\":\"otter\",\"seed\":-1}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.jsonPath().getString("error.param")).isEqualTo("seed");
        assertThat(response.jsonPath().getString("error.code")).isEqualTo("integer_below_min_value");
        assertThat(upstream.getAllServeEvents()).isEmpty();
    }

    @Test
    void retiredModelAliasedToALiveOne_isSentUpstreamAsTheLiveOne_andFollowsItsRules() {
        assertThat(Gateway.generate("{\"model\":\"dall-e-3\",\"prompt\":\"otter\"}").statusCode()).isEqualTo(200);
        upstream.verify(1, postRequestedFor(urlEqualTo(UpstreamStubs.PATH))
                .withRequestBody(equalToJson("{\"model\":\"gpt-image-2\",\"prompt\":\"otter\",\"n\":1}")));

        Response style = Gateway.generate("{\"model\":\"dall-e-3\",\"prompt\":\"otter\",\"style\":\"vivid\"}");
        assertThat(style.jsonPath().getString("error.code")).isEqualTo("unknown_parameter");
    }

    @Test
    void requestWithoutAModel_usesTheConfiguredDefault() {
        assertThat(Gateway.generate("{\"prompt\":\"otter\"}").statusCode()).isEqualTo(200);
        upstream.verify(1, postRequestedFor(urlEqualTo(UpstreamStubs.PATH))
                .withRequestBody(equalToJson("{\"model\":\"gpt-image-2\",\"prompt\":\"otter\",\"n\":1}")));
    }

    @Test
    void unknownAndSwitchedOffModels_areRefusedAsOpenAiRefusesThem() {
        for (String model : List.of("gpt-image-9", "dall-e-2")) {
            Response response = Gateway.generate("{\"model\":\"" + model + "\",\"prompt\":\"otter\"}");
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(response.jsonPath().getString("error.type")).isEqualTo("image_generation_user_error");
            assertThat(response.jsonPath().getString("error.code")).isEqualTo("invalid_value");
            assertThat(response.jsonPath().getString("error.param")).isEqualTo("model");
            assertThat(response.jsonPath().getString("error.message"))
                    .isEqualTo("The model '" + model + "' does not exist.");
        }
        assertThat(upstream.getAllServeEvents()).isEmpty();
    }

    @Test
    void modelList_carriesTheOperatorsModel_andNotTheSwitchedOffOne() {
        Response list = given().header("Authorization", "Bearer " + Gateway.CALLER_KEY).get("/v1/models");

        assertThat(list.jsonPath().getList("data.id", String.class)).contains("acme-image-1", "gpt-image-2", "dall-e-3")
                .doesNotContain("dall-e-2");
        Response acme = given().header("Authorization", "Bearer " + Gateway.CALLER_KEY).get("/v1/models/acme-image-1");
        assertThat(acme.jsonPath().getString("owned_by")).isEqualTo("acme");
        assertThat(acme.jsonPath().getLong("created")).isEqualTo(1800000000L);
        assertThat(given().header("Authorization", "Bearer " + Gateway.CALLER_KEY).get("/v1/models/dall-e-2")
                .statusCode()).isEqualTo(404);
    }
}
