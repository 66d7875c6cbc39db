package dev.imagegateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponse;
import dev.imagegateway.testsupport.FilesApi;
import dev.imagegateway.testsupport.Gateway;
import dev.imagegateway.testsupport.S3TestServer;
import dev.imagegateway.testsupport.UpstreamTestServer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.io.InputStream;
import java.net.URI;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/files/{id}/content} with a small {@code images.files.max-inline-bytes}: content up to it is
 * inline, larger content a {@code 307} to a pre-signed GET that S3 serves without the gateway key, and
 * the official SDK follows it.
 */
@QuarkusTest
@TestProfile(FilesContentRedirectTest.SmallInlineLimit.class)
@WithTestResource(S3TestServer.class)
@WithTestResource(UpstreamTestServer.class)
class FilesContentRedirectTest {

    static final int LIMIT = 1000;

    public static class SmallInlineLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("images.files.max-inline-bytes", Integer.toString(LIMIT));
        }
    }

    private final FilesApi caller = FilesApi.as(Gateway.CALLER_KEY);

    @Test
    void contentAtTheLimit_isInline() {
        byte[] content = random(LIMIT);
        String id = caller.createdId("at-limit.bin", content, "user_data");

        Response response = caller.content(id);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.asByteArray()).isEqualTo(content);
    }

    @Test
    void contentOverTheLimit_isA307ToAPreSignedGet_ofTheSameBytes() {
        byte[] content = random(LIMIT + 1);
        String id = caller.createdId("over-limit.bin", content, "user_data");

        Response response = caller.content(id);

        assertThat(response.statusCode()).isEqualTo(307);
        URI location = URI.create(response.header("Location"));
        assertThat(location.getQuery()).contains("X-Amz-Signature=", "X-Amz-Expires=600");
        assertThat(location.getPath()).endsWith("/" + id + "/content");
        assertThat(response.asByteArray()).isEmpty();
        // A plain GET without the gateway key: the link is all S3 needs.
        java.net.http.HttpResponse<byte[]> download = Gateway.download(location.toString());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(content);
    }

    @Test
    void theOfficialJavaSdk_followsTheRedirect_andReadsTheExactBytes() throws Exception {
        byte[] content = random(64 * 1024);
        String id = caller.createdId("for-the-sdk.bin", content, "user_data");
        OpenAIClient client = OpenAIOkHttpClient.builder().apiKey(Gateway.CALLER_KEY)
                .baseUrl("http://localhost:" + RestAssured.port + "/v1").maxRetries(0).build();

        assertThat(caller.content(id).statusCode()).isEqualTo(307);
        try (HttpResponse response = client.files().content(id); InputStream body = response.body()) {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(body.readAllBytes()).isEqualTo(content);
        }
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }
}
