package dev.imagegateway.batch.engine;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegateway.files.FileStore;
import dev.imagegateway.testsupport.Gateway;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** What the batch tests do over and over: input files, the routes, and reading output files. */
final class BatchTestSupport {

    static final ObjectMapper JSON = new ObjectMapper();

    private BatchTestSupport() {
    }

    static String line(String customId, String body) {
        return "{\"custom_id\":\"" + customId + "\",\"method\":\"POST\",\"url\":\"/v1/images/generations\",\"body\":"
                + body + "}";
    }

    static String inputFile(FileStore files, String owner, String... lines) {
        byte[] content = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        return files.create(owner, "batch", "input.jsonl", content, null).id();
    }

    static Response create(String key, String body) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON).body(body)
                .when().post("/v1/batches");
    }

    static String createBatch(String fileId) {
        return create(Gateway.CALLER_KEY, "{\"input_file_id\":\"" + fileId + "\",\"endpoint\":\"/v1/images/generations\","
                + "\"completion_window\":\"24h\",\"metadata\":{\"run\":\"test\"}}").then().statusCode(200).extract()
                .path("id");
    }

    static JsonNode retrieve(String id) {
        return retrieve(Gateway.CALLER_KEY, id, 200);
    }

    static JsonNode retrieve(String key, String id, int status) {
        try {
            return JSON.readTree(given().header("Authorization", "Bearer " + key).when().get("/v1/batches/" + id).then()
                    .statusCode(status).extract().asByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean finished(String id) {
        return List.of("completed", "failed", "expired", "cancelled").contains(retrieve(id).path("status").asText());
    }

    static List<JsonNode> lines(FileStore files, String owner, JsonNode fileId) {
        List<JsonNode> lines = new ArrayList<>();
        if (fileId == null || fileId.isNull()) {
            return lines;
        }
        try (InputStream in = files.open(owner, fileId.asText())) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    lines.add(JSON.readTree(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }

    static JsonNode byCustomId(List<JsonNode> lines, String customId) {
        return lines.stream().filter(l -> customId.equals(l.path("custom_id").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no line for " + customId + " in " + lines));
    }
}
