package dev.imagegateway.testsupport;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Calls the gateway through the Lambda handler (REST Assured targets the mock event server). */
public final class Gateway {

    /** The test caller's gateway key; its SHA-256 is configured in application.properties for tests. */
    public static final String CALLER_KEY = "sk-gateway-test-caller";
    /** A second accepted key, whose caller must never see what the first one owns. */
    public static final String OTHER_CALLER_KEY = "sk-gateway-test-other-caller";
    public static final String PATH = "/v1/images/generations";
    public static final String EDITS_PATH = "/v1/images/edits";

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Gateway() {
    }

    public static Response generate(String body) {
        return given().header("Authorization", "Bearer " + CALLER_KEY).contentType(ContentType.JSON).body(body)
                .when().post(PATH);
    }

    /** A JSON edit. */
    public static Response editJson(String body) {
        return given().header("Authorization", "Bearer " + CALLER_KEY).contentType(ContentType.JSON).body(body)
                .when().post(EDITS_PATH);
    }

    /** A multipart edit, its bytes sent exactly as the form wrote them. */
    public static Response edit(MultipartForm form) {
        return given().header("Authorization", "Bearer " + CALLER_KEY).contentType(form.contentType())
                .body(form.bytes()).when().post(EDITS_PATH);
    }

    /** Fetches a URL the way a caller's browser would: a plain GET, no credentials. */
    public static HttpResponse<byte[]> download(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new AssertionError("download failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
