package dev.imagegateway.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.imagegateway.testsupport.Gateway;
import dev.imagegateway.testsupport.LogCapture;
import dev.imagegateway.testsupport.S3TestServer;
import dev.imagegateway.testsupport.TestImages;
import dev.imagegateway.testsupport.UpstreamStubs;
import dev.imagegateway.testsupport.UpstreamTestServer;
import dev.imagegateway.testsupport.UpstreamTestServer.InjectUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.logging.Handler;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.Level;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.handlers.ConsoleHandler;
import org.junit.jupiter.api.Test;

/** A full run, faults included, leaves no key, signed URL, prompt or image data in the logs. */
@QuarkusTest
@WithTestResource(S3TestServer.class)
@WithTestResource(UpstreamTestServer.class)
class NoSecretsInLogsTest {

    private static final String PROMPT = "my private prompt about the quarterly numbers";
    private static final String INTRUDER_KEY = "sk-gateway-intruder-guess-1234";

    @InjectUpstream
    WireMockServer upstream;

    @Test
    void fullRunWithFaults_logsNoSecrets_butOneRequestLinePerRequest() {
        byte[] png = TestImages.png(16, 16);
        List<String> urls;
        String b64;
        try (LogCapture logs = LogCapture.start()) {
            upstream.resetAll();
            UpstreamStubs.answerWith(upstream, List.of(png));
            urls = Gateway.generate("{\"prompt\":\"" + PROMPT + "\",\"n\":1}").jsonPath().getList("data.url", String.class);
            b64 = Gateway.generate("{\"prompt\":\"" + PROMPT + "\",\"response_format\":\"b64_json\"}")
                    .jsonPath().getString("data[0].b64_json");
            given().header("Authorization", "Bearer " + INTRUDER_KEY).contentType(ContentType.JSON)
                    .body("{\"prompt\":\"x\"}").post(Gateway.PATH);
            UpstreamStubs.answerWith(upstream, 401, UpstreamStubs.errorBody(
                    "Incorrect API key provided: " + UpstreamTestServer.UPSTREAM_KEY, "invalid_request_error", null,
                    "invalid_api_key"));
            Gateway.generate("{\"prompt\":\"" + PROMPT + "\"}");
            UpstreamStubs.answerWith(upstream, 400, UpstreamStubs.errorBody(
                    "Bad key " + UpstreamTestServer.UPSTREAM_KEY + " at " + urls.get(0), "invalid_request_error", null, "x"));
            Gateway.generate("{\"prompt\":\"" + PROMPT + "\"}");
            upstream.stubFor(WireMock.post(UpstreamStubs.PATH).willReturn(WireMock.aResponse()
                    .withFault(Fault.CONNECTION_RESET_BY_PEER)));
            Gateway.generate("{\"prompt\":\"" + PROMPT + "\"}");
            Gateway.generate("{\"prompt\":\"" + PROMPT + "\",\"n\":\"not a number\"}");

            String all = logs.all();
            assertThat(urls).hasSize(1);
            assertThat(all).doesNotContain(UpstreamTestServer.UPSTREAM_KEY, Gateway.CALLER_KEY, INTRUDER_KEY,
                    "X-Amz-Signature", "X-Amz-Credential", urls.get(0), PROMPT, b64.substring(0, 40));
            List<String> requestLines = logs.lines().stream().filter(line -> line.contains("POST /v1/images/generations"))
                    .toList();
            assertThat(requestLines).hasSize(7);
            assertThat(requestLines.get(0)).contains("status=200", "model=dall-e-2", "n=1", "size=1024x1024",
                    "responseFormat=url", "upstreamMs=", "uploadMs=", "imagesStored=1", "bytesStored=" + png.length,
                    "totalMs=", "requestId=");
            assertThat(requestLines.get(1)).contains("status=200", "responseFormat=b64_json").doesNotContain("bytesStored");
            assertThat(requestLines.get(2)).contains("status=401", "errorCode=invalid_api_key");
            assertThat(requestLines.get(3)).contains("status=502", "errorCode=upstream_unavailable");
            assertThat(requestLines.get(6)).contains("status=400", "errorCode=invalid_type");
        }
    }

    /**
     * The console handler, the one that writes the function's log, runs the secret filter on every
     * record, whoever logged it: a library that quotes a refused Authorization value (as the Lambda HTTP
     * bridge once did for a control byte in it) writes no key.
     */
    @Test
    void consoleHandler_redactsAKeyThatALibraryLogs() {
        Handler console = consoleHandler(LogContext.getLogContext().getLogger("").getHandlers());
        ExtLogRecord record = new ExtLogRecord(Level.ERROR, "Request Failure", "quarkus.amazon.lambda.http");
        record.setThrown(new IllegalArgumentException("a header value contains a prohibited character '127': Bearer "
                + "\u007f" + Gateway.CALLER_KEY));

        assertThat(console.getFilter()).as("the console handler's filter").isNotNull();
        assertThat(console.getFilter().isLoggable(record)).isTrue();

        assertThat(record.getThrown().toString()).doesNotContain(Gateway.CALLER_KEY)
                .startsWith("java.lang.IllegalArgumentException: a header value contains a prohibited character");
    }

    private static Handler consoleHandler(Handler[] handlers) {
        for (Handler handler : handlers) {
            if (handler instanceof ConsoleHandler) {
                return handler;
            }
            if (handler instanceof ExtHandler parent) {
                Handler found = consoleHandler(parent.getHandlers());
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
