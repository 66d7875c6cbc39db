package dev.imagegateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponse;
import com.openai.errors.NotFoundException;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FileDeleted;
import com.openai.models.files.FileObject;
import com.openai.models.files.FilePurpose;
import com.openai.models.uploads.Upload;
import com.openai.models.uploads.UploadCompleteParams;
import com.openai.models.uploads.UploadCreateParams;
import com.openai.models.uploads.parts.PartCreateParams;
import dev.imagegateway.testsupport.FilesApi;
import dev.imagegateway.testsupport.Gateway;
import dev.imagegateway.testsupport.S3TestServer;
import dev.imagegateway.testsupport.UpstreamTestServer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official OpenAI Java SDK, unchanged but for its base URL, uses the Files and Uploads APIs, and
 * follows the content's redirect to the bucket when the content is larger than one Lambda answer.
 */
@QuarkusTest
@WithTestResource(S3TestServer.class)
@WithTestResource(UpstreamTestServer.class)
class FilesSdkTest {

    private static final byte[] BATCH = ("{\"custom_id\":\"1\",\"method\":\"POST\",\"url\":\"/v1/images/generations\","
            + "\"body\":{\"prompt\":\"a red kite\"}}\n").getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private static OpenAIClient client(String key) {
        return OpenAIOkHttpClient.builder()
                .apiKey(key)
                .baseUrl("http://localhost:" + RestAssured.port + "/v1")
                .maxRetries(0)
                .build();
    }

    @Test
    void sdk_createsABatchFileFromAPath_andReadsItBack() throws IOException {
        Path jsonl = Files.write(dir.resolve("requests.jsonl"), BATCH);
        OpenAIClient client = client(Gateway.CALLER_KEY);

        FileObject file = client.files().create(FileCreateParams.builder().file(jsonl).purpose(FilePurpose.BATCH)
                .build());

        assertThat(file.id()).startsWith("file-");
        assertThat(file.purpose()).isEqualTo(FileObject.Purpose.BATCH);
        assertThat(file.filename()).isEqualTo("requests.jsonl");
        assertThat(file.bytes()).isEqualTo(BATCH.length);
        assertThat(file.status()).isEqualTo(FileObject.Status.PROCESSED);
        assertThat(file.expiresAt()).hasValue(file.createdAt() + 30L * 24 * 3600);
        assertThat(client.files().retrieve(file.id())).isEqualTo(file);
        assertThat(bytesOf(client.files().content(file.id()))).isEqualTo(BATCH);
    }

    @Test
    void sdk_expiresAfter_reachesTheGateway_asOpenAiReadsIt() throws IOException {
        Path jsonl = Files.write(dir.resolve("short-lived.jsonl"), BATCH);

        FileObject file = client(Gateway.CALLER_KEY).files().create(FileCreateParams.builder().file(jsonl)
                .purpose(FilePurpose.BATCH)
                .expiresAfter(FileCreateParams.ExpiresAfter.builder().seconds(7200).build())
                .build());

        assertThat(file.expiresAt()).hasValue(file.createdAt() + 7200);
    }

    @Test
    void sdk_uploadsAFileInParts_andItsContentFollowsTheRedirectToTheBucket() throws Exception {
        // 5 MB: more than Lambda's 6 MB answer holds once base64-encoded, so the gateway answers 307.
        byte[] content = new byte[5_000_000];
        new Random(7).nextBytes(content);
        OpenAIClient client = client(Gateway.CALLER_KEY);

        Upload upload = client.uploads().create(UploadCreateParams.builder().filename("images.jsonl")
                .purpose(FilePurpose.BATCH).bytes(content.length).mimeType("text/jsonl").build());
        String first = client.uploads().parts().create(upload.id(), PartCreateParams.builder()
                .data(Arrays.copyOfRange(content, 0, 2_500_000)).build()).id();
        String second = client.uploads().parts().create(upload.id(), PartCreateParams.builder()
                .data(Arrays.copyOfRange(content, 2_500_000, content.length)).build()).id();
        Upload completed = client.uploads().complete(upload.id(), UploadCompleteParams.builder()
                .partIds(List.of(first, second)).md5(md5(content)).build());
        String fileId = completed.file().orElseThrow().id();

        assertThat(completed.status()).isEqualTo(Upload.Status.COMPLETED);
        assertThat(FilesApi.as(Gateway.CALLER_KEY).content(fileId).statusCode()).isEqualTo(307);
        assertThat(bytesOf(client.files().content(fileId))).isEqualTo(content);
    }

    @Test
    void sdk_listsOnlyItsOwnKeysFiles_andDeletesThem() throws IOException {
        Path jsonl = Files.write(dir.resolve("mine.jsonl"), BATCH);
        OpenAIClient mine = client(Gateway.CALLER_KEY);
        OpenAIClient theirs = client(Gateway.OTHER_CALLER_KEY);
        String id = mine.files().create(FileCreateParams.builder().file(jsonl).purpose(FilePurpose.BATCH).build())
                .id();

        List<String> listed = mine.files().list().autoPager().stream().map(FileObject::id).toList();
        List<String> listedByOther = theirs.files().list().autoPager().stream().map(FileObject::id).toList();
        FileDeleted deleted = mine.files().delete(id);

        assertThat(listed).contains(id);
        assertThat(listedByOther).doesNotContain(id);
        assertThat(deleted.deleted()).isTrue();
        assertThat(deleted.id()).isEqualTo(id);
        assertThatThrownBy(() -> mine.files().retrieve(id)).isInstanceOfSatisfying(NotFoundException.class,
                e -> assertThat(e.getMessage()).contains("No such File object: " + id));
    }

    @Test
    void sdk_anotherKeysFile_isNotFound() throws IOException {
        Path jsonl = Files.write(dir.resolve("private.jsonl"), BATCH);
        String id = client(Gateway.CALLER_KEY).files().create(FileCreateParams.builder().file(jsonl)
                .purpose(FilePurpose.BATCH).build()).id();

        assertThatThrownBy(() -> client(Gateway.OTHER_CALLER_KEY).files().retrieve(id))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> bytesOf(client(Gateway.OTHER_CALLER_KEY).files().content(id)))
                .isInstanceOf(NotFoundException.class);
    }

    private static byte[] bytesOf(HttpResponse response) {
        try (response; InputStream body = response.body()) {
            return body.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String md5(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
    }
}
