package dev.imagegateway.api;

import static dev.imagegateway.api.RequestErrorsTest.assertEnvelope;
import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegateway.testsupport.FilesApi;
import dev.imagegateway.testsupport.Gateway;
import dev.imagegateway.testsupport.S3TestServer;
import dev.imagegateway.testsupport.S3TestServer.InjectS3;
import dev.imagegateway.testsupport.UpstreamTestServer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The Uploads API end to end: an upload, its parts, and the file they make once completed, in the order
 * the caller names them; every way a completion can be wrong keeps nothing.
 */
@QuarkusTest
@WithTestResource(S3TestServer.class)
@WithTestResource(UpstreamTestServer.class)
class UploadsApiTest {

    private static final byte[] PART_A = "{\"custom_id\":\"a\"}\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] PART_B = "{\"custom_id\":\"b\"}\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] PART_C = "{\"custom_id\":\"c\"}\n".getBytes(StandardCharsets.UTF_8);

    private final FilesApi caller = FilesApi.as(Gateway.CALLER_KEY);
    private final FilesApi other = FilesApi.as(Gateway.OTHER_CALLER_KEY);

    @InjectS3
    S3Client s3;

    @Test
    void create_answersAPendingUpload_thatExpiresInAnHour() {
        Response response = caller.createUpload(upload("requests.jsonl", "batch", 54));

        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        assertThat(response.jsonPath().getString("id")).startsWith("upload_");
        assertThat(response.jsonPath().getString("object")).isEqualTo("upload");
        assertThat(response.jsonPath().getLong("bytes")).isEqualTo(54);
        assertThat(response.jsonPath().getString("filename")).isEqualTo("requests.jsonl");
        assertThat(response.jsonPath().getString("purpose")).isEqualTo("batch");
        assertThat(response.jsonPath().getString("status")).isEqualTo("pending");
        assertThat(response.jsonPath().getLong("expires_at")).isEqualTo(response.jsonPath().getLong("created_at") + 3600);
        assertThat(response.jsonPath().getMap("")).containsEntry("file", null);
    }

    @Test
    void threeParts_completedInTheOrderGiven_makeOneFileOfThemJoinedSo() {
        String uploadId = createdUpload("requests.jsonl", "batch", PART_A.length + PART_B.length + PART_C.length);
        Response partA = caller.addPart(uploadId, PART_A);
        String a = partA.jsonPath().getString("id");
        String b = caller.addPart(uploadId, PART_B).jsonPath().getString("id");
        String c = caller.addPart(uploadId, PART_C).jsonPath().getString("id");

        Response completed = caller.complete(uploadId, partIds(c, a, b));

        assertThat(partA.statusCode()).isEqualTo(200);
        assertThat(a).startsWith("part_");
        assertThat(partA.jsonPath().getString("object")).isEqualTo("upload.part");
        assertThat(partA.jsonPath().getString("upload_id")).isEqualTo(uploadId);
        assertThat(partA.jsonPath().getLong("created_at")).isPositive();
        assertThat(completed.statusCode()).as(completed.asString()).isEqualTo(200);
        assertThat(completed.jsonPath().getString("status")).isEqualTo("completed");
        String fileId = completed.jsonPath().getString("file.id");
        assertThat(fileId).startsWith("file-");
        assertThat(completed.jsonPath().getString("file.filename")).isEqualTo("requests.jsonl");
        assertThat(completed.jsonPath().getString("file.purpose")).isEqualTo("batch");
        assertThat(completed.jsonPath().getLong("file.bytes")).isEqualTo(54);
        assertThat(caller.content(fileId).asByteArray()).isEqualTo(joined(PART_C, PART_A, PART_B));
        assertThat(caller.retrieve(fileId).statusCode()).isEqualTo(200);
        assertThat(partKeys(uploadId)).as("parts are removed once joined").isEmpty();
    }

    @Test
    void complete_withTheWrongMd5_is400_keepsNoFile_andTheUploadMayBeCompletedAgain() throws Exception {
        caller.deleteAll();
        String uploadId = createdUpload("requests.jsonl", "batch", PART_A.length + PART_B.length);
        String a = caller.addPart(uploadId, PART_A).jsonPath().getString("id");
        String b = caller.addPart(uploadId, PART_B).jsonPath().getString("id");
        String rightMd5 = md5(joined(PART_A, PART_B));

        Response wrong = caller.complete(uploadId, "{\"part_ids\":[\"" + b + "\",\"" + a + "\"],\"md5\":\"" + rightMd5
                + "\"}");

        assertEnvelope(wrong, 400, "invalid_request_error", null);
        assertThat(wrong.jsonPath().getString("error.param")).isEqualTo("md5");
        assertThat(caller.list("").jsonPath().getList("data")).as("no file was kept").isEmpty();
        assertThat(partKeys(uploadId)).hasSize(2);
        Response right = caller.complete(uploadId, "{\"part_ids\":[\"" + a + "\",\"" + b + "\"],\"md5\":\""
                + rightMd5.toUpperCase() + "\"}");
        assertThat(right.statusCode()).as(right.asString()).isEqualTo(200);
        assertThat(caller.content(right.jsonPath().getString("file.id")).asByteArray())
                .isEqualTo(joined(PART_A, PART_B));
    }

    @Test
    void complete_withPartsThatDoNotAddUpToItsBytes_is400_andKeepsNoFile() {
        caller.deleteAll();
        String uploadId = createdUpload("requests.jsonl", "batch", PART_A.length + PART_B.length);
        String a = caller.addPart(uploadId, PART_A).jsonPath().getString("id");
        caller.addPart(uploadId, PART_B);

        Response response = caller.complete(uploadId, partIds(a));

        assertEnvelope(response, 400, "invalid_request_error", null);
        assertThat(response.jsonPath().getString("error.message")).contains(PART_A.length + " bytes",
                (PART_A.length + PART_B.length) + " bytes");
        assertThat(caller.list("").jsonPath().getList("data")).isEmpty();
    }

    @Test
    void complete_withAnUnknownOrRepeatedPart_is400NamingPartIds() {
        String uploadId = createdUpload("requests.jsonl", "batch", PART_A.length * 2);
        String a = caller.addPart(uploadId, PART_A).jsonPath().getString("id");
        String theirs = caller.addPart(createdUpload("x.jsonl", "batch", 1), PART_A).jsonPath().getString("id");

        Response repeated = caller.complete(uploadId, partIds(a, a));
        Response foreign = caller.complete(uploadId, partIds(a, theirs));
        Response notStrings = caller.complete(uploadId, "{\"part_ids\":[1]}");
        Response none = caller.complete(uploadId, "{}");

        assertEnvelope(repeated, 400, "invalid_request_error", "invalid_value");
        assertThat(repeated.jsonPath().getString("error.param")).isEqualTo("part_ids");
        assertEnvelope(foreign, 400, "invalid_request_error", "invalid_value");
        assertThat(foreign.jsonPath().getString("error.message")).contains(theirs);
        assertEnvelope(notStrings, 400, "invalid_request_error", "invalid_type");
        assertEnvelope(none, 400, "invalid_request_error", "missing_required_parameter");
    }

    @Test
    void cancel_endsTheUpload_andNoPartOrCompleteIsTakenAfter() {
        String uploadId = createdUpload("requests.jsonl", "batch", PART_A.length);
        String a = caller.addPart(uploadId, PART_A).jsonPath().getString("id");

        Response cancelled = caller.cancel(uploadId);

        assertThat(cancelled.statusCode()).as(cancelled.asString()).isEqualTo(200);
        assertThat(cancelled.jsonPath().getString("status")).isEqualTo("cancelled");
        assertThat(cancelled.jsonPath().getMap("")).containsEntry("file", null);
        assertThat(partKeys(uploadId)).isEmpty();
        assertEnvelope(caller.addPart(uploadId, PART_B), 400, "invalid_request_error", null);
        Response complete = caller.complete(uploadId, partIds(a));
        assertEnvelope(complete, 400, "invalid_request_error", null);
        assertThat(complete.jsonPath().getString("error.message")).contains("cancelled");
        assertEnvelope(caller.cancel(uploadId), 400, "invalid_request_error", null);
    }

    @Test
    void aCompletedUpload_takesNoFurtherPartOrComplete() {
        String uploadId = createdUpload("requests.jsonl", "batch", PART_A.length);
        String a = caller.addPart(uploadId, PART_A).jsonPath().getString("id");
        assertThat(caller.complete(uploadId, partIds(a)).statusCode()).isEqualTo(200);

        Response part = caller.addPart(uploadId, PART_B);
        Response again = caller.complete(uploadId, partIds(a));

        assertEnvelope(part, 400, "invalid_request_error", null);
        assertThat(part.jsonPath().getString("error.message")).contains(uploadId, "completed");
        assertEnvelope(again, 400, "invalid_request_error", null);
        assertEnvelope(caller.cancel(uploadId), 400, "invalid_request_error", null);
    }

    @Test
    void aJoinedFileOver8MiB_isWrittenInS3Parts_andReadsBackWhole() {
        Random random = new Random(42);
        byte[][] parts = new byte[3][3_500_000];
        for (byte[] part : parts) {
            random.nextBytes(part);
        }
        String uploadId = createdUpload("large.jsonl", "batch", 3 * 3_500_000);
        String first = caller.addPart(uploadId, parts[0]).jsonPath().getString("id");
        String second = caller.addPart(uploadId, parts[1]).jsonPath().getString("id");
        String third = caller.addPart(uploadId, parts[2]).jsonPath().getString("id");

        Response completed = caller.complete(uploadId, partIds(third, first, second));

        assertThat(completed.statusCode()).as(completed.asString()).isEqualTo(200);
        String fileId = completed.jsonPath().getString("file.id");
        S3Object content = s3.listObjectsV2(list -> list.bucket(S3TestServer.BUCKET).prefix("files/")).contents()
                .stream().filter(object -> object.key().endsWith("/" + fileId + "/content")).findFirst().orElseThrow();
        assertThat(content.size()).isEqualTo(3L * 3_500_000);
        // A multipart object's ETag ends in the number of its parts: 8 MiB and the 2.1 MB rest.
        assertThat(content.eTag()).endsWith("-2\"");
        Response redirect = caller.content(fileId);
        assertThat(redirect.statusCode()).isEqualTo(307);
        assertThat(Gateway.download(redirect.header("Location")).body()).isEqualTo(joined(parts[2], parts[0], parts[1]));
    }

    @Test
    void create_refusesWhatOpenAiRefuses_namingTheField() {
        Response tooLarge = caller.createUpload(upload("big.jsonl", "batch", 200L * 1024 * 1024 + 1));
        Response notJsonl = caller.createUpload(upload("requests.csv", "batch", 10));
        Response badPurpose = caller.createUpload(upload("requests.jsonl", "batches", 10));
        Response noMimeType = caller.createUpload("{\"filename\":\"a.jsonl\",\"purpose\":\"batch\",\"bytes\":10}");
        Response bytesAsText = caller.createUpload("{\"filename\":\"a.jsonl\",\"purpose\":\"batch\",\"bytes\":\"10\","
                + "\"mime_type\":\"text/jsonl\"}");
        Response unknownField = caller.createUpload("{\"filename\":\"a.jsonl\",\"purpose\":\"batch\",\"bytes\":10,"
                + "\"mime_type\":\"text/jsonl\",\"parts\":3}");
        Response shortExpiry = caller.createUpload("{\"filename\":\"a.jsonl\",\"purpose\":\"batch\",\"bytes\":10,"
                + "\"mime_type\":\"text/jsonl\",\"expires_after\":{\"anchor\":\"created_at\",\"seconds\":60}}");
        Response notJson = caller.createUpload("{\"filename\":");

        assertEnvelope(tooLarge, 400, "invalid_request_error", "integer_above_max_value");
        assertThat(tooLarge.jsonPath().getString("error.param")).isEqualTo("bytes");
        assertEnvelope(notJsonl, 400, "invalid_request_error", null);
        assertThat(notJsonl.jsonPath().getString("error.param")).isEqualTo("filename");
        assertEnvelope(badPurpose, 400, "invalid_request_error", "invalid_value");
        assertEnvelope(noMimeType, 400, "invalid_request_error", "missing_required_parameter");
        assertThat(noMimeType.jsonPath().getString("error.param")).isEqualTo("mime_type");
        assertEnvelope(bytesAsText, 400, "invalid_request_error", "invalid_type");
        assertEnvelope(unknownField, 400, "invalid_request_error", "unknown_parameter");
        assertEnvelope(shortExpiry, 400, "invalid_request_error", "integer_below_min_value");
        assertThat(shortExpiry.jsonPath().getString("error.param")).isEqualTo("expires_after.seconds");
        assertEnvelope(notJson, 400, "invalid_request_error", null);
    }

    @Test
    void expiresAfter_ofTheUpload_isTheLifetimeOfItsFile() {
        String uploadId = caller.createUpload("{\"filename\":\"a.jsonl\",\"purpose\":\"batch\",\"bytes\":" + PART_A.length
                + ",\"mime_type\":\"text/jsonl\",\"expires_after\":{\"anchor\":\"created_at\",\"seconds\":7200}}")
                .jsonPath().getString("id");
        String a = caller.addPart(uploadId, PART_A).jsonPath().getString("id");

        Response completed = caller.complete(uploadId, partIds(a));

        assertThat(completed.jsonPath().getLong("file.expires_at"))
                .isEqualTo(completed.jsonPath().getLong("file.created_at") + 7200);
    }

    @Test
    void anotherKeysUpload_isNotFound_andKeepsItsParts() {
        String uploadId = createdUpload("requests.jsonl", "batch", PART_A.length);
        String a = caller.addPart(uploadId, PART_A).jsonPath().getString("id");

        Response part = other.addPart(uploadId, PART_B);
        Response complete = other.complete(uploadId, partIds(a));
        Response cancel = other.cancel(uploadId);

        assertEnvelope(part, 404, "invalid_request_error", null);
        assertThat(part.jsonPath().getString("error.message")).isEqualTo("No such Upload object: " + uploadId);
        assertEnvelope(complete, 404, "invalid_request_error", null);
        assertEnvelope(cancel, 404, "invalid_request_error", null);
        assertThat(partKeys(uploadId)).hasSize(1);
        assertThat(caller.complete(uploadId, partIds(a)).statusCode()).isEqualTo(200);
    }

    @Test
    void aPartOverTheRequestLimit_is413AskingForSmallerParts() {
        String uploadId = createdUpload("requests.jsonl", "batch", 10_000_000);

        Response response = caller.addPart(uploadId, new byte[6_100_000]);

        assertEnvelope(response, 413, "invalid_request_error", "request_too_large");
        assertThat(response.jsonPath().getString("error.message")).contains("smaller parts");
        assertThat(partKeys(uploadId)).isEmpty();
    }

    @Test
    void aPartInAMalformedMultipartBody_orWithoutData_is400() {
        String uploadId = createdUpload("requests.jsonl", "batch", 10);

        Response cutShort = caller.request().contentType("multipart/form-data; boundary=xyz")
                .body("--xyz\r\nContent-Disposition: form-data; name=\"data\"\r\n\r\nabc".getBytes(StandardCharsets.UTF_8))
                .post("/v1/uploads/" + uploadId + "/parts");
        Response noData = caller.request().multiPart("other", "x").post("/v1/uploads/" + uploadId + "/parts");

        assertEnvelope(cutShort, 400, "invalid_request_error", "invalid_multipart");
        assertEnvelope(noData, 400, "invalid_request_error", "missing_required_parameter");
        assertThat(noData.jsonPath().getString("error.param")).isEqualTo("data");
    }

    private String createdUpload(String filename, String purpose, long bytes) {
        Response response = caller.createUpload(upload(filename, purpose, bytes));
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        return response.jsonPath().getString("id");
    }

    private static String upload(String filename, String purpose, long bytes) {
        return "{\"filename\":\"" + filename + "\",\"purpose\":\"" + purpose + "\",\"bytes\":" + bytes
                + ",\"mime_type\":\"text/jsonl\"}";
    }

    private static String partIds(String... ids) {
        return "{\"part_ids\":[" + String.join(",", List.of(ids).stream().map(id -> "\"" + id + "\"").toList()) + "]}";
    }

    private List<String> partKeys(String uploadId) {
        return s3.listObjectsV2Paginator(list -> list.bucket(S3TestServer.BUCKET).prefix("uploads/")).contents()
                .stream().map(S3Object::key).filter(key -> key.contains("/" + uploadId + "/parts/")).toList();
    }

    private static byte[] joined(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static String md5(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
    }
}
