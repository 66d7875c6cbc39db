package dev.imagegateway.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import dev.imagegateway.testsupport.Gateway;
import dev.imagegateway.testsupport.HttpEvents;
import dev.imagegateway.testsupport.HttpEvents.Answer;
import dev.imagegateway.testsupport.InvocationContext;
import dev.imagegateway.testsupport.LogCapture;
import dev.imagegateway.testsupport.S3TestServer;
import dev.imagegateway.testsupport.TestImages;
import dev.imagegateway.testsupport.UpstreamStubs;
import dev.imagegateway.testsupport.UpstreamTestServer;
import dev.imagegateway.testsupport.UpstreamTestServer.InjectUpstream;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Events that the HTTP layer behind the bridge would refuse with a bare 500 (logging the refused
 * header whole) or an empty 400, delivered as raw event bytes to the function's handler: each gets the
 * gateway's 400 envelope with an {@code x-request-id}, and no log line holds the key.
 */
@QuarkusTest
@WithTestResource(S3TestServer.class)
@WithTestResource(UpstreamTestServer.class)
class MalformedHttpEventsTest {

    @InjectUpstream
    WireMockServer upstream;

    @BeforeEach
    void upstreamAnswersAnImage() {
        upstream.resetAll();
        UpstreamStubs.answerWith(upstream, List.of(TestImages.png(8, 8)));
    }

    @ParameterizedTest
    @ValueSource(strings = { "\u007f", "\u0001", "\r", "\n", "\u0000", "\r\n" })
    void controlByteInTheAuthorizationValue_is400WithTheEnvelope_andTheKeyReachesNoLogLine(String control)
            throws IOException {
        try (LogCapture logs = LogCapture.start()) {
            Answer answer = invoke(HttpEvents.sample("http-b64-json.json")
                    .header("authorization", "Bearer " + control + Gateway.CALLER_KEY));

            assertRefused(answer, "invalid_header");
            assertThat(answer.json().at("/error/message").asText()).contains("'authorization'")
                    .doesNotContain(Gateway.CALLER_KEY);
            assertThat(logs.all()).contains("status=400").doesNotContain(Gateway.CALLER_KEY)
                    .doesNotContain("Request Failure");
        }
        upstream.verify(0, WireMock.postRequestedFor(WireMock.urlEqualTo(UpstreamStubs.PATH)));
    }

    @Test
    void controlCharacterInAnyOtherHeader_is400_notABare500() throws IOException {
        Answer answer = invoke(HttpEvents.sample("http-b64-json.json").header("user-agent", "curl\u0007/8"));

        assertRefused(answer, "invalid_header");
    }

    @ParameterizedTest
    @ValueSource(strings = { "x custom", "", "x:y", "caf\u00e9", "x\u0000" })
    void headerNameThatIsNoToken_is400_withoutQuotingTheName(String name) throws IOException {
        Answer answer = invoke(HttpEvents.sample("http-b64-json.json").header(name, "1"));

        assertRefused(answer, "invalid_header");
        if (!name.isEmpty()) {
            assertThat(answer.json().at("/error/message").asText()).doesNotContain(name);
        }
    }

    @Test
    void horizontalTabInAHeaderValue_isAllowed_asHttpAllowsIt() throws IOException {
        Answer answer = invoke(HttpEvents.sample("http-b64-json.json").header("user-agent", "curl\t8"));

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = { "a=%zz", "%", "a=%4", "a=%C0%AF", "a b", "a=\u0001", "q=%ED%A0%80" })
    void malformedQueryString_is400WithTheEnvelope(String query) throws IOException {
        Answer answer = invoke(HttpEvents.sample("http-b64-json.json").query(query));

        assertRefused(answer, "invalid_url");
    }

    @ParameterizedTest
    @ValueSource(strings = { "a=|", "a={}", "a=\"", "a=<>", "a=\\", "a=^", "a=`", "i#/ibvwa;#", "a=#b" })
    void queryCharacterThatJavaNetUriRefusesOrAFragment_is400WithTheEnvelope_notABare400(String query) throws IOException {
        Answer answer = invoke(HttpEvents.sample("http-b64-json.json").query(query));

        assertRefused(answer, "invalid_url");
    }

    @ParameterizedTest
    @ValueSource(strings = { "/v1/images/generations]", "/v1/images/generations[", "/a|b", "/a{b}", "/a\"b", "/a^b",
            "/v1/images/generations#x#y" })
    void pathCharacterThatJavaNetUriRefuses_is400WithTheEnvelope_notABare400(String path) throws IOException {
        Answer answer = invoke(HttpEvents.sample("http-b64-json.json").path(path));

        assertRefused(answer, "invalid_url");
    }

    @Test
    void bracketsInTheQuery_areServed_asJavaNetUriTakesThem() throws IOException {
        Answer answer = invoke(HttpEvents.sample("http-b64-json.json").query("a[]=1&b[x]=2"));

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    }

    @Test
    void wellFormedQueryString_isServed() throws IOException {
        Answer answer = invoke(HttpEvents.sample("http-b64-json.json").query("a=%C3%A9&b=c+d"));

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    }

    @Test
    void expect100Continue_getsTheRealAnswer_notAnInterim100() throws IOException {
        Answer answer = invoke(HttpEvents.sample("http-b64-json.json").header("expect", "100-continue"));

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.json().at("/data/0/b64_json").asText()).isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "trailing ", "1, 2", "-1", "abc", "0", "808950063" })
    void contentLengthThatIsNoNumberOrNotTheBodys_isServed_notABare500Or413(String contentLength) throws IOException {
        Answer answer = invoke(HttpEvents.sample("http-b64-json.json").header("content-length", contentLength));

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.json().at("/data/0/b64_json").asText()).isNotEmpty();
    }

    @Test
    void transferEncodingOfTheCallersConnection_isIgnored_asTheEventHoldsTheWholeBody() throws IOException {
        Answer answer = invoke(HttpEvents.sample("http-b64-json.json").header("transfer-encoding", "gzip, chunked")
                .header("content-length", "5"));

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = { "caf\u00e9", "\tx", " leading", "\u00ff", "a b", "[::1", "host:abc" })
    void hostThatIsNoHost_is400WithTheEnvelope_notABare400(String host) throws IOException {
        Answer answer = invoke(HttpEvents.sample("http-b64-json.json").header("host", host));

        assertRefused(answer, "invalid_header");
        upstream.verify(0, WireMock.postRequestedFor(WireMock.urlEqualTo(UpstreamStubs.PATH)));
    }

    @ParameterizedTest
    @ValueSource(strings = { "example.com:8443", "[::1]", "127.0.0.1", "abc123.execute-api.us-east-1.amazonaws.com" })
    void hostNameOrAddressWithOrWithoutPort_isServed(String host) throws IOException {
        Answer answer = invoke(HttpEvents.sample("http-b64-json.json").header("host", host));

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    }

    @Test
    void base64BodyThatIsNoBase64_is400_notABare500() throws IOException {
        Answer answer = invoke(HttpEvents.sample("http-b64-json.json").rawBase64Body("{not base64!"));

        assertRefused(answer, null);
    }

    @Test
    void textBodyWithALoneSurrogate_is400_neverSentOnWithAQuestionMark() throws IOException {
        Answer answer = invoke(HttpEvents.sample("http-b64-json.json")
                .body("{\"prompt\":\"an otter \ud800\",\"response_format\":\"b64_json\"}"));

        assertRefused(answer, null);
        upstream.verify(0, WireMock.postRequestedFor(WireMock.urlEqualTo(UpstreamStubs.PATH)));
    }

    @ParameterizedTest
    @ValueSource(strings = { "C0AF", "E080AF", "F4908080", "EDA080", "FF" })
    void bodyBytesThatAreNotWellFormedUtf8_are400_neverDecodedLeniently(String hex) throws IOException {
        byte[] bad = java.util.HexFormat.of().parseHex(hex);
        byte[] head = "{\"prompt\":\"an otter ".getBytes(StandardCharsets.UTF_8);
        byte[] tail = "\",\"response_format\":\"b64_json\"}".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + bad.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(bad, 0, body, head.length, bad.length);
        System.arraycopy(tail, 0, body, head.length + bad.length, tail.length);

        Answer answer = invoke(HttpEvents.sample("http-b64-json.json").bodyBytes(body));

        assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
        assertThat(answer.json().at("/error/message").asText()).contains("UTF-8");
        upstream.verify(0, WireMock.postRequestedFor(WireMock.urlEqualTo(UpstreamStubs.PATH)));
    }

    @Test
    void jsonEscapeSpellingALoneSurrogate_is400() throws IOException {
        Answer answer = invoke(HttpEvents.sample("http-b64-json.json").bodyBytes(
                "{\"prompt\":\"an otter \\udc00\",\"response_format\":\"b64_json\"}".getBytes(StandardCharsets.UTF_8)));

        assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
        assertThat(answer.json().at("/error/message").asText()).contains("surrogate");
        upstream.verify(0, WireMock.postRequestedFor(WireMock.urlEqualTo(UpstreamStubs.PATH)));
    }

    @Test
    void wellFormedUtf8BeyondAscii_isServed() throws IOException {
        Answer answer = invoke(HttpEvents.sample("http-b64-json.json").bodyBytes(
                "{\"prompt\":\"une loutre \u00e9 \ud83e\udda6\",\"response_format\":\"b64_json\"}"
                        .getBytes(StandardCharsets.UTF_8)));

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        upstream.verify(WireMock.postRequestedFor(WireMock.urlEqualTo(UpstreamStubs.PATH))
                .withRequestBody(WireMock.containing("une loutre \u00e9 \ud83e\udda6")));
    }

    @ParameterizedTest
    @ValueSource(strings = { "text/plain", "application/x-www-form-urlencoded", "application/xml", "multipart/form-data",
            "*/*", "application/*" })
    void jsonBodySentAsAnotherContentType_is400UnsupportedContentType(String contentType) throws IOException {
        Answer answer = invoke(HttpEvents.sample("http-b64-json.json").header("content-type", contentType));

        assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
        assertThat(answer.json().at("/error/code").asText()).isEqualTo("unsupported_content_type");
        assertThat(answer.json().at("/error/message").asText()).contains("only accepts 'application/json'");
        upstream.verify(0, WireMock.postRequestedFor(WireMock.urlEqualTo(UpstreamStubs.PATH)));
    }

    @Test
    void contentTypeThatIsNoMediaType_is400WithTheEnvelope() throws IOException {
        Answer answer = invoke(HttpEvents.sample("http-b64-json.json").header("content-type", "no type at all"));

        assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
        assertThat(answer.json().at("/error/type").asText()).isEqualTo("invalid_request_error");
        upstream.verify(0, WireMock.postRequestedFor(WireMock.urlEqualTo(UpstreamStubs.PATH)));
    }

    @ParameterizedTest
    @ValueSource(strings = { "application/json", "application/json; charset=utf-8", "Application/JSON" })
    void applicationJson_withOrWithoutParameters_isServed(String contentType) throws IOException {
        Answer answer = invoke(HttpEvents.sample("http-b64-json.json").header("content-type", contentType));

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = { "//", "//v1/images/generations", "//evil.example/v1/images/generations" })
    void pathStartingWithTwoSlashes_is400WithTheEnvelope_notABare400(String path) throws IOException {
        Answer answer = invoke(HttpEvents.sample("http-b64-json.json").path(path));

        assertRefused(answer, "invalid_url");
    }

    @ParameterizedTest
    @ValueSource(strings = { "session=abc\u007f", "a=b\r\nSet-Cookie: x=y", "k=\u0000" })
    void controlByteInACookie_is400WithTheEnvelope_andTheCookieReachesNoLogLine(String cookie) throws IOException {
        try (LogCapture logs = LogCapture.start()) {
            Answer answer = invoke(HttpEvents.sample("http-b64-json.json").cookies("theme=dark", cookie));

            assertRefused(answer, "invalid_header");
            assertThat(logs.all()).doesNotContain(cookie).doesNotContain("Request Failure");
        }
    }

    @Test
    void wellFormedCookies_areServed() throws IOException {
        Answer answer = invoke(HttpEvents.sample("http-b64-json.json").cookies("theme=dark", "session=abc"));

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    }

    @Test
    void wellFormedEvent_throughTheSameHandler_isServed() throws IOException {
        Answer answer = invoke(HttpEvents.sample("http-b64-json.json"));

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.header("x-request-id")).matches("[0-9a-f-]{36}");
    }

    static Answer invoke(HttpEvents event) throws IOException {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        LambdaEntry.dispatch(event.bytes(), output, new InvocationContext());
        return HttpEvents.answer(output.toByteArray());
    }

    static void assertRefused(Answer answer, String code) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
        assertThat(answer.header("content-type")).startsWith("application/json");
        assertThat(answer.header("x-request-id")).matches("[0-9a-f-]{36}");
        assertThat(answer.json().at("/error/type").asText()).isEqualTo("invalid_request_error");
        assertThat(answer.json().at("/error").has("param")).isTrue();
        assertThat(answer.json().at("/error").has("code")).isTrue();
        if (code == null) {
            assertThat(answer.json().at("/error/code").isNull()).as(answer.toString()).isTrue();
        } else {
            assertThat(answer.json().at("/error/code").asText()).isEqualTo(code);
        }
        assertThat(answer.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
