package dev.imagegateway.batch.engine;

import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.imagegateway.batch.engine.BatchTestSupport.create;
import static dev.imagegateway.batch.engine.BatchTestSupport.finished;
import static dev.imagegateway.batch.engine.BatchTestSupport.inputFile;
import static dev.imagegateway.batch.engine.BatchTestSupport.lines;
import static dev.imagegateway.batch.engine.BatchTestSupport.retrieve;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.imagegateway.api.GatewayKeys;
import dev.imagegateway.files.FileStore;
import dev.imagegateway.testsupport.Gateway;
import dev.imagegateway.testsupport.S3TestServer;
import dev.imagegateway.testsupport.SqsLambdaDriver;
import dev.imagegateway.testsupport.SqsTestServer;
import dev.imagegateway.testsupport.SqsTestServer.InjectSqs;
import dev.imagegateway.testsupport.TestImages;
import dev.imagegateway.testsupport.UpstreamStubs;
import dev.imagegateway.testsupport.UpstreamTestServer;
import dev.imagegateway.testsupport.UpstreamTestServer.InjectUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code /v1/images/edits} as a batch endpoint: JSON edit bodies with {@code image_url} or the caller's
 * {@code file_id} run through the edit route's own reader and rules, and a body the route would refuse
 * gets its 400 in the error file.
 */
@QuarkusTest
@TestProfile(BatchEngineProfile.class)
@WithTestResource(S3TestServer.class)
@WithTestResource(SqsTestServer.class)
@WithTestResource(UpstreamTestServer.class)
class BatchEditsTest {

    @Inject
    FileStore files;

    @Inject
    GatewayKeys keys;

    @InjectSqs
    SqsClient sqs;

    @InjectUpstream
    WireMockServer upstream;

    @Test
    void editsBatch_runsImageUrlAndFileIdLines_throughTheEditRoute_andRefusesWhatTheRouteRefuses() {
        upstream.resetAll();
        byte[] edited = TestImages.png(8, 8);
        UpstreamStubs.answerEditsWith(upstream, List.of(edited));
        String owner = keys.authenticate("Bearer " + Gateway.CALLER_KEY).owner();
        byte[] input = TestImages.png(16, 16);
        String imageFile = files.create(owner, "vision", "otter.png", input, null).id();
        String dataUrl = "data:image/png;base64," + Base64.getEncoder().encodeToString(input);
        String fileId = inputFile(files, owner,
                editLine("by-url", "{\"model\":\"gpt-image-2\",\"prompt\":\"add a hat\",\"images\":[{\"image_url\":\""
                        + dataUrl + "\"}]}"),
                editLine("by-file", "{\"model\":\"gpt-image-2\",\"prompt\":\"add a scarf\",\"images\":[{\"file_id\":\""
                        + imageFile + "\"}],\"response_format\":\"url\"}"),
                editLine("no-images", "{\"model\":\"gpt-image-2\",\"prompt\":\"nothing to edit\"}"));
        String id = create(Gateway.CALLER_KEY, "{\"input_file_id\":\"" + fileId + "\",\"endpoint\":\"/v1/images/edits\","
                + "\"completion_window\":\"24h\"}").then().statusCode(200).extract().path("id");

        SqsLambdaDriver.ofQueue(sqs).runUntil(() -> finished(id), Duration.ofSeconds(60));

        JsonNode batch = retrieve(id);
        assertThat(batch.path("status").asText()).isEqualTo("completed");
        assertThat(batch.path("endpoint").asText()).isEqualTo("/v1/images/edits");
        assertThat(batch.path("request_counts").toString()).isEqualTo("{\"total\":3,\"completed\":2,\"failed\":1}");
        List<JsonNode> output = lines(files, owner, batch.get("output_file_id"));
        assertThat(output).extracting(line -> line.path("custom_id").asText()).containsExactly("by-url", "by-file");
        assertThat(output.get(0).at("/response/body/data/0/b64_json").asText()).isEqualTo(TestImages.base64(edited));
        JsonNode linked = output.get(1).at("/response/body/data/0");
        assertThat(Gateway.download(linked.path("url").asText()).body()).isEqualTo(edited);
        // Both lines carry the same picture: the caller's data: URL went upstream as it was, and the file's
        // bytes went as the same data: URL.
        upstream.verify(2, postRequestedFor(urlEqualTo(UpstreamStubs.EDITS_PATH))
                .withRequestBody(matchingJsonPath("$.images[0].image_url", com.github.tomakehurst.wiremock.client.WireMock
                        .equalTo(dataUrl))));
        upstream.verify(0, postRequestedFor(urlEqualTo(UpstreamStubs.PATH)));
        List<JsonNode> errors = lines(files, owner, batch.get("error_file_id"));
        assertThat(errors).extracting(line -> line.path("custom_id").asText()).containsExactly("no-images");
        assertThat(errors.get(0).at("/response/status_code").asInt()).isEqualTo(400);
    }

    private static String editLine(String customId, String body) {
        return "{\"custom_id\":\"" + customId + "\",\"method\":\"POST\",\"url\":\"/v1/images/edits\",\"body\":" + body
                + "}";
    }
}
