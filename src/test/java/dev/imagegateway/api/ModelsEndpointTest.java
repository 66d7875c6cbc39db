package dev.imagegateway.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegateway.testsupport.Gateway;
import dev.imagegateway.testsupport.S3TestServer;
import dev.imagegateway.testsupport.UpstreamTestServer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/models} and {@code GET /v1/models/{model}} through the Lambda handler, in OpenAI's shapes. */
@QuarkusTest
@WithTestResource(S3TestServer.class)
@WithTestResource(UpstreamTestServer.class)
class ModelsEndpointTest {

    private static Response get(String path) {
        return given().header("Authorization", "Bearer " + Gateway.CALLER_KEY).get(path);
    }

    @Test
    void list_isOpenAisListShape_withEveryCatalogEntryAndSnapshot() {
        Response response = get("/v1/models");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.jsonPath().getString("object")).isEqualTo("list");
        assertThat(response.jsonPath().getList("data.id", String.class)).contains("dall-e-2", "dall-e-3", "gpt-image-1",
                "gpt-image-1-mini", "gpt-image-1.5", "chatgpt-image-latest", "gpt-image-2", "gpt-image-2-2026-04-21",
                "gpt-image-2.5-flare", "gpt-image-2.5-flare-2026-09-08", "gpt-image-2.5-sunburst",
                "gpt-image-2.5-sunburst-2026-09-08", "gpt-image-2.6-flare", "gpt-image-2.6-sunburst");
        assertThat(response.jsonPath().getList("data.object", String.class)).containsOnly("model");
    }

    @Test
    void retrieve_isOneModelObject() {
        Map<String, Object> model = get("/v1/models/gpt-image-2").jsonPath().getMap("");

        assertThat(model).containsExactlyInAnyOrderEntriesOf(Map.of("id", "gpt-image-2", "object", "model",
                "created", 1776729600, "owned_by", "openai"));
    }

    @Test
    void retrieve_ofADatedSnapshot_isThatSnapshot() {
        Response response = get("/v1/models/gpt-image-2-2026-04-21");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.jsonPath().getString("id")).isEqualTo("gpt-image-2-2026-04-21");
        assertThat(response.jsonPath().getString("object")).isEqualTo("model");
    }

    @Test
    void retrieve_ofAModelNotInTheCatalog_is404ModelNotFound() {
        Response response = get("/v1/models/dall-e-4");

        RequestErrorsTest.assertEnvelope(response, 404, "invalid_request_error", "model_not_found");
        assertThat(response.jsonPath().getString("error.message")).contains("dall-e-4");
    }

    @Test
    void withoutAKey_is401() {
        RequestErrorsTest.assertEnvelope(given().get("/v1/models"), 401, "invalid_request_error", null);
        RequestErrorsTest.assertEnvelope(given().header("Authorization", "Bearer sk-gateway-nope")
                .get("/v1/models/gpt-image-2"), 401, "invalid_request_error", "invalid_api_key");
    }
}
