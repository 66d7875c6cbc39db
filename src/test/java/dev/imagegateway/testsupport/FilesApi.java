package dev.imagegateway.testsupport;

import static io.restassured.RestAssured.given;

import io.restassured.RestAssured;
import io.restassured.config.MultiPartConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.List;

/** The Files and Uploads APIs through the Lambda handler, as a caller with a given key uses them. */
public final class FilesApi {

    private final String key;

    private FilesApi(String key) {
        this.key = key;
    }

    public static FilesApi as(String key) {
        return new FilesApi(key);
    }

    public RequestSpecification request() {
        return given().header("Authorization", "Bearer " + key).redirects().follow(false);
    }

    /** {@code POST /v1/files} with the file under {@code filename}. */
    public Response create(String filename, byte[] content, String purpose) {
        // A fixed boundary: Quarkus's test event server passes a body on as UTF-8 text, not base64, when
        // its content type merely contains "text", "json", "xml" or "yaml", and a random boundary sometimes does.
        return request().config(RestAssured.config().multiPartConfig(
                MultiPartConfig.multiPartConfig().defaultBoundary("gateway-test-boundary-0")))
                .multiPart("file", filename, content, "application/octet-stream")
                .multiPart("purpose", purpose).post("/v1/files");
    }

    /** Creates a file and returns its id, failing the test unless the gateway answers 200. */
    public String createdId(String filename, byte[] content, String purpose) {
        Response response = create(filename, content, purpose);
        if (response.statusCode() != 200) {
            throw new AssertionError("POST /v1/files answered " + response.statusCode() + ": " + response.asString());
        }
        return response.jsonPath().getString("id");
    }

    public Response list(String query) {
        return request().get("/v1/files" + (query.isEmpty() ? "" : "?" + query));
    }

    public Response retrieve(String id) {
        return request().get("/v1/files/" + id);
    }

    public Response content(String id) {
        return request().get("/v1/files/" + id + "/content");
    }

    public Response delete(String id) {
        return request().delete("/v1/files/" + id);
    }

    /** Deletes every file of this caller, so that a listing test sees only what it made. */
    public void deleteAll() {
        List<String> ids = list("").jsonPath().getList("data.id", String.class);
        ids.forEach(this::delete);
    }

    public Response createUpload(String json) {
        return request().contentType("application/json").body(json).post("/v1/uploads");
    }

    public Response addPart(String uploadId, byte[] data) {
        return request().multiPart("data", "blob", data, "application/octet-stream")
                .post("/v1/uploads/" + uploadId + "/parts");
    }

    public Response complete(String uploadId, String json) {
        return request().contentType("application/json").body(json).post("/v1/uploads/" + uploadId + "/complete");
    }

    public Response cancel(String uploadId) {
        return request().post("/v1/uploads/" + uploadId + "/cancel");
    }
}
