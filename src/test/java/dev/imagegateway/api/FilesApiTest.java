package dev.imagegateway.api;

import static dev.imagegateway.api.RequestErrorsTest.assertEnvelope;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegateway.storage.NewestFirstIds;
import dev.imagegateway.testsupport.FilesApi;
import dev.imagegateway.testsupport.Gateway;
import dev.imagegateway.testsupport.S3TestServer;
import dev.imagegateway.testsupport.UpstreamTestServer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/files}, retrieve, delete and inline content, as OpenAI answers them, key by key. */
@QuarkusTest
@WithTestResource(S3TestServer.class)
@WithTestResource(UpstreamTestServer.class)
class FilesApiTest {

    private static final byte[] BATCH_LINE = ("{\"custom_id\":\"a\",\"method\":\"POST\",\"url\":\"/v1/images/generations\","
            + "\"body\":{\"prompt\":\"a lighthouse\"}}\n").getBytes(StandardCharsets.UTF_8);
    private static final long THIRTY_DAYS = 30L * 24 * 3600;

    private final FilesApi caller = FilesApi.as(Gateway.CALLER_KEY);
    private final FilesApi other = FilesApi.as(Gateway.OTHER_CALLER_KEY);

    @Test
    void create_batchJsonl_answersOpenAisFileObject_expiringInThirtyDays() {
        long before = Instant.now().getEpochSecond();
        Response response = caller.create("requests.jsonl", BATCH_LINE, "batch");

        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        assertThat(response.jsonPath().getString("id")).startsWith("file-");
        assertThat(response.jsonPath().getString("object")).isEqualTo("file");
        assertThat(response.jsonPath().getLong("bytes")).isEqualTo(BATCH_LINE.length);
        assertThat(response.jsonPath().getString("filename")).isEqualTo("requests.jsonl");
        assertThat(response.jsonPath().getString("purpose")).isEqualTo("batch");
        assertThat(response.jsonPath().getString("status")).isEqualTo("processed");
        long createdAt = response.jsonPath().getLong("created_at");
        assertThat(createdAt).isBetween(before, Instant.now().getEpochSecond());
        assertThat(response.jsonPath().getLong("expires_at")).isEqualTo(createdAt + THIRTY_DAYS);
    }

    @Test
    void retrieve_answersTheSameObject_andContentTheExactBytes() {
        byte[] everyByte = new byte[256];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = (byte) i;
        }
        Response created = caller.create("all-bytes.bin", everyByte, "user_data");
        String id = created.jsonPath().getString("id");

        Response retrieved = caller.retrieve(id);
        Response content = caller.content(id);

        assertThat(retrieved.statusCode()).isEqualTo(200);
        assertThat(retrieved.jsonPath().getMap("")).isEqualTo(created.jsonPath().getMap(""));
        assertThat(content.statusCode()).isEqualTo(200);
        assertThat(content.contentType()).startsWith("application/octet-stream");
        assertThat(content.asByteArray()).isEqualTo(everyByte);
        // What the official Node SDK asks for.
        assertThat(caller.request().accept("application/binary").get("/v1/files/" + id + "/content").asByteArray())
                .isEqualTo(everyByte);
    }

    @Test
    void create_withExpiresAfter_expiresThatLongAfterCreation() {
        Response response = caller.request().multiPart("file", "in.jsonl", BATCH_LINE).multiPart("purpose", "batch")
                .multiPart("expires_after[anchor]", "created_at").multiPart("expires_after[seconds]", "3600")
                .post("/v1/files");

        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        assertThat(response.jsonPath().getLong("expires_at")).isEqualTo(response.jsonPath().getLong("created_at") + 3600);
    }

    @Test
    void create_withExpiresAfterOutsideOpenAisBounds_is400NamingIt() {
        Response tooShort = caller.request().multiPart("file", "in.jsonl", BATCH_LINE).multiPart("purpose", "batch")
                .multiPart("expires_after[anchor]", "created_at").multiPart("expires_after[seconds]", "3599")
                .post("/v1/files");
        Response tooLong = caller.request().multiPart("file", "in.jsonl", BATCH_LINE).multiPart("purpose", "batch")
                .multiPart("expires_after[anchor]", "created_at").multiPart("expires_after[seconds]", "2592001")
                .post("/v1/files");
        Response otherAnchor = caller.request().multiPart("file", "in.jsonl", BATCH_LINE).multiPart("purpose", "batch")
                .multiPart("expires_after[anchor]", "last_active_at").multiPart("expires_after[seconds]", "3600")
                .post("/v1/files");

        assertEnvelope(tooShort, 400, "invalid_request_error", "integer_below_min_value");
        assertThat(tooShort.jsonPath().getString("error.param")).isEqualTo("expires_after.seconds");
        assertEnvelope(tooLong, 400, "invalid_request_error", "integer_above_max_value");
        assertEnvelope(otherAnchor, 400, "invalid_request_error", "invalid_value");
        assertThat(otherAnchor.jsonPath().getString("error.param")).isEqualTo("expires_after.anchor");
    }

    @Test
    void create_batchFileNotNamedJsonl_is400AsOpenAiAnswersIt() {
        Response response = caller.create("requests.json", BATCH_LINE, "batch");

        assertEnvelope(response, 400, "invalid_request_error", null);
        assertThat(response.jsonPath().getString("error.message"))
                .isEqualTo("Invalid file format for Batch API. Must be .jsonl");
        assertThat(response.jsonPath().getString("error.param")).isEqualTo("file");
    }

    @Test
    void create_imageForVision_isAccepted_underAnyName() {
        Response response = caller.create("mask.png", new byte[] { (byte) 0x89, 'P', 'N', 'G' }, "vision");

        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        assertThat(response.jsonPath().getString("purpose")).isEqualTo("vision");
    }

    @Test
    void create_withoutFileOrPurpose_orWithAnUnknownPurpose_is400NamingTheField() {
        Response noFile = caller.request().multiPart("purpose", "batch").post("/v1/files");
        Response noPurpose = caller.request().multiPart("file", "in.jsonl", BATCH_LINE).post("/v1/files");
        Response unknownPurpose = caller.create("in.jsonl", BATCH_LINE, "batch_output");

        assertEnvelope(noFile, 400, "invalid_request_error", "missing_required_parameter");
        assertThat(noFile.jsonPath().getString("error.param")).isEqualTo("file");
        assertEnvelope(noPurpose, 400, "invalid_request_error", "missing_required_parameter");
        assertThat(noPurpose.jsonPath().getString("error.param")).isEqualTo("purpose");
        assertEnvelope(unknownPurpose, 400, "invalid_request_error", "invalid_value");
        assertThat(unknownPurpose.jsonPath().getString("error.message")).contains("'batch_output'", "'vision'");
    }

    @Test
    void create_notMultipart_is400UnsupportedContentType() {
        Response response = caller.request().contentType("application/json").body("{\"purpose\":\"batch\"}")
                .post("/v1/files");

        assertEnvelope(response, 400, "invalid_request_error", "unsupported_content_type");
        assertThat(response.jsonPath().getString("error.message")).contains("multipart/form-data");
    }

    @Test
    void create_malformedMultipart_is400Envelope_neverA500() {
        Response noBoundary = caller.request().contentType("multipart/form-data").body("garbage".getBytes())
                .post("/v1/files");
        Response garbage = caller.request().contentType("multipart/form-data; boundary=xyz")
                .body("garbage, not a form".getBytes()).post("/v1/files");
        Response cutShort = caller.request().contentType("multipart/form-data; boundary=xyz")
                .body(("--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"in.jsonl\"\r\n\r\n"
                        + "{\"custom_id\":").getBytes(StandardCharsets.UTF_8))
                .post("/v1/files");

        for (Response response : new Response[] { noBoundary, garbage, cutShort }) {
            assertEnvelope(response, 400, "invalid_request_error", "invalid_multipart");
            assertThat(response.jsonPath().getString("error.message")).startsWith("The multipart body could not be read");
        }
    }

    @Test
    void create_overTheRequestLimit_is413NamingTheUploadsApi_andKeepsNothing() {
        caller.deleteAll();
        Response response = caller.create("big.jsonl", new byte[6_100_000], "batch");

        assertEnvelope(response, 413, "invalid_request_error", "request_too_large");
        assertThat(response.jsonPath().getString("error.message")).contains("/v1/uploads", "6000000");
        assertThat(caller.list("").jsonPath().getList("data")).isEmpty();
    }

    @Test
    void everyRoute_withoutAKnownKey_is401() {
        String id = caller.createdId("in.jsonl", BATCH_LINE, "batch");
        FilesApi stranger = FilesApi.as("sk-gateway-not-configured");

        assertThat(stranger.create("in.jsonl", BATCH_LINE, "batch").statusCode()).isEqualTo(401);
        assertThat(stranger.list("").statusCode()).isEqualTo(401);
        assertThat(stranger.retrieve(id).statusCode()).isEqualTo(401);
        assertThat(stranger.content(id).statusCode()).isEqualTo(401);
        assertThat(stranger.delete(id).statusCode()).isEqualTo(401);
        assertThat(caller.retrieve(id).statusCode()).isEqualTo(200);
    }

    @Test
    void unknownId_is404NoSuchFileObject_namingTheId() {
        String unknown = NewestFirstIds.next("file-", Instant.now());
        Response response = caller.retrieve(unknown);

        assertEnvelope(response, 404, "invalid_request_error", null);
        assertThat(response.jsonPath().getString("error.message")).isEqualTo("No such File object: " + unknown);
        assertThat(response.jsonPath().getString("error.param")).isEqualTo("id");
        assertEnvelope(caller.content("not-even-an-id"), 404, "invalid_request_error", null);
        assertEnvelope(caller.delete(unknown), 404, "invalid_request_error", null);
    }

    @Test
    void anotherKeysFile_isNotFound_andItsDeleteTouchesNothing() {
        String id = caller.createdId("mine.jsonl", BATCH_LINE, "batch");

        Response retrieve = other.retrieve(id);
        Response content = other.content(id);
        Response delete = other.delete(id);

        assertEnvelope(retrieve, 404, "invalid_request_error", null);
        assertThat(retrieve.jsonPath().getString("error.message")).isEqualTo("No such File object: " + id);
        assertEnvelope(content, 404, "invalid_request_error", null);
        assertEnvelope(delete, 404, "invalid_request_error", null);
        assertThat(other.list("").jsonPath().getList("data.id")).doesNotContain(id);
        assertThat(caller.retrieve(id).statusCode()).isEqualTo(200);
        assertThat(caller.content(id).asByteArray()).isEqualTo(BATCH_LINE);
    }

    @Test
    void delete_answersFileDeleted_andTheFileIsGoneEverywhere() {
        String id = caller.createdId("gone.jsonl", BATCH_LINE, "batch");

        Response deleted = caller.delete(id);

        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(deleted.jsonPath().getMap("")).containsExactlyInAnyOrderEntriesOf(
                Map.of("id", id, "object", "file", "deleted", true));
        assertThat(caller.retrieve(id).statusCode()).isEqualTo(404);
        assertThat(caller.content(id).statusCode()).isEqualTo(404);
        assertThat(caller.list("").jsonPath().getList("data.id")).doesNotContain(id);
        assertThat(caller.delete(id).statusCode()).isEqualTo(404);
    }

    @Test
    void multipartBodies_leaveNoTemporaryFileBehind_underTmp() throws Exception {
        Path uploads = Path.of(ConfigProvider.getConfig().getValue("quarkus.http.body.uploads-directory", String.class));

        assertThat(caller.create("kept.jsonl", BATCH_LINE, "batch").statusCode()).isEqualTo(200);
        assertThat(caller.create("refused.json", BATCH_LINE, "batch").statusCode()).isEqualTo(400);

        assertThat(uploads).startsWith(Path.of("/tmp")).isDirectory();
        // The parser deletes its files on a worker thread as the request ends.
        long deadline = System.nanoTime() + 5_000_000_000L;
        List<Path> left;
        do {
            try (Stream<Path> files = Files.list(uploads)) {
                left = files.toList();
            }
        } while (!left.isEmpty() && System.nanoTime() < deadline && sleep());
        assertThat(left).isEmpty();
    }

    private static boolean sleep() throws InterruptedException {
        Thread.sleep(50);
        return true;
    }
}
