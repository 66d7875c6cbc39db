package dev.imagegateway.lambda;

import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.imagegateway.lambda.HttpEventMutator.FuzzedEvent;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Mutated HTTP events (headers, query string, raw path, body bytes; see {@link HttpEventMutator}) as raw
 * event bytes through the function's own handler, {@link LambdaEntry#dispatch}. For every event: never a
 * 5xx; every answer but a 2xx is the OpenAI envelope with all four keys and an {@code x-request-id}; a
 * refused request never reaches the upstream; no log record and no answer holds the caller's or the
 * upstream's key, and no record even needed the log pipeline's redaction. Every case runs; the violations are counted and the
 * first ones shown with what replays
 * them. Replay with {@code -Dfuzz.seed=<seed>}; set the count with {@code -Dfuzz.cases=<n>}.
 */
@QuarkusTest
@WithTestResource(S3TestServer.class)
@WithTestResource(UpstreamTestServer.class)
class HttpEventFuzzTest {

    private static final List<String> SECRETS = List.of(HttpEventMutator.KEY, UpstreamTestServer.UPSTREAM_KEY);
    private static final int SHOWN_VIOLATIONS = 10;

    @InjectUpstream
    WireMockServer upstream;

    @Test
    void mutatedHeadersQueriesPathsAndBodyBytes_neverCause5xx_alwaysGetTheEnvelope_neverReachUpstreamWhenRefused_andLeakNoKey()
            throws Exception {
        int cases = Integer.getInteger("fuzz.cases", 1_500);
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        stubAnUpstreamThatAnswersInTheRequestedFormat();
        HttpEventMutator mutator = new HttpEventMutator(seed);
        Tally tally = new Tally(seed);
        long started = System.nanoTime();
        for (int i = 0; i < cases; i++) {
            FuzzedEvent event = mutator.next();
            upstream.resetRequests();
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            String logs;
            try (LogCapture capture = LogCapture.start()) {
                try {
                    LambdaEntry.dispatch(event.bytes(), output, new InvocationContext());
                } catch (Exception | AssertionError e) {
                    tally.violation("handler threw " + e, i, event, null);
                    continue;
                } finally {
                    logs = capture.all();
                }
            }
            check(HttpEvents.answer(output.toByteArray()), logs, i, event, tally);
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("Fuzzed %d HTTP events (seed %d) in %d ms: %s%n", cases, seed, millis, tally.summary());
        assertThat(tally.violations).as(tally.report()).isEmpty();
        assertThat(tally.statuses.getOrDefault(200, 0)).as("the mutator also leaves valid requests").isPositive();
        assertThat(cases - tally.statuses.getOrDefault(200, 0)).as("and makes the gateway refuse some").isPositive();
    }

    private void check(Answer answer, String logs, int index, FuzzedEvent event, Tally tally) {
        tally.count(answer);
        if (answer.status() >= 500) {
            tally.fiveHundreds++;
            tally.violation("status " + answer.status(), index, event, answer);
        }
        if (answer.status() < 200 || answer.status() >= 300) {
            // HTTP gives the answer to HEAD no body, envelope or not.
            if (!isEnvelope(answer.json()) && !event.method().equals("HEAD")) {
                tally.envelopesMissing++;
                tally.violation("no OpenAI error envelope", index, event, answer);
            }
            int calls = upstream.countRequestsMatching(postRequestedFor(urlEqualTo(UpstreamStubs.PATH)).build()).getCount();
            if (calls > 0) {
                tally.upstreamCalls++;
                tally.violation("refused, yet " + calls + " upstream call(s)", index, event, answer);
            }
        }
        String requestId = answer.header("x-request-id");
        if (requestId == null || requestId.isBlank()) {
            tally.requestIdsMissing++;
            tally.violation("no x-request-id", index, event, answer);
        }
        // The capture sees records after the console handler's redaction filter: a marker means a record
        // quoted a secret and only the filter kept it out. Nothing on these paths should try.
        if (logs.contains("removed]")) {
            tally.redactedRecords++;
            tally.violation("a log record needed redaction: " + around(logs, "removed]"), index, event, answer);
        }
        for (String secret : SECRETS) {
            if (logs.contains(secret)) {
                tally.secretsInLogs++;
                tally.violation("a log record holds " + secret + ": " + around(logs, secret), index, event, answer);
            }
            if (answer.body().contains(secret) || answer.headers().toString().contains(secret)) {
                tally.secretsInAnswers++;
                tally.violation("the answer holds " + secret, index, event, answer);
            }
        }
    }

    /** {@code {"error":{"message","type","param","code"}}}: a message and a type that are text, param and code present. */
    private static boolean isEnvelope(JsonNode json) {
        JsonNode error = json.get("error");
        return error != null && error.isObject() && error.path("message").isTextual()
                && !error.path("message").asText().isBlank() && error.path("type").isTextual() && error.has("param")
                && error.has("code");
    }

    private void stubAnUpstreamThatAnswersInTheRequestedFormat() {
        upstream.resetAll();
        UpstreamStubs.answerWith(upstream, List.of(TestImages.png(4, 4)));
        upstream.stubFor(
                post(urlEqualTo(UpstreamStubs.PATH)).withRequestBody(matchingJsonPath("$[?(@.output_format == 'jpeg')]"))
                        .willReturn(UpstreamStubs.json(200, UpstreamStubs.imagesBody(List.of(TestImages.jpeg(4, 4)), false))));
        upstream.stubFor(
                post(urlEqualTo(UpstreamStubs.PATH)).withRequestBody(matchingJsonPath("$[?(@.output_format == 'webp')]"))
                        .willReturn(UpstreamStubs.json(200, UpstreamStubs.imagesBody(List.of(TestImages.webp()), false))));
    }

    private static String around(String text, String secret) {
        int at = text.indexOf(secret);
        int lineStart = Math.max(text.lastIndexOf('\n', at) + 1, at - 200);
        return text.substring(lineStart, Math.min(text.length(), at + secret.length() + 80)).replace(secret, "<secret>");
    }

    /** What the run saw: answers by status and code, and every broken invariant. */
    private static final class Tally {

        private final long seed;
        private final Map<Integer, Integer> statuses = new TreeMap<>();
        private final Map<String, Integer> codes = new TreeMap<>();
        private final List<String> violations = new ArrayList<>();
        private int fiveHundreds;
        private int envelopesMissing;
        private int requestIdsMissing;
        private int upstreamCalls;
        private int secretsInLogs;
        private int secretsInAnswers;
        private int redactedRecords;

        Tally(long seed) {
            this.seed = seed;
        }

        void count(Answer answer) {
            statuses.merge(answer.status(), 1, Integer::sum);
            if (answer.status() != 200) {
                JsonNode error = answer.json().path("error");
                String code = error.path("code").isTextual() ? error.path("code").asText() : error.path("type").asText("?");
                codes.merge(answer.status() + " " + code, 1, Integer::sum);
            }
        }

        void violation(String what, int index, FuzzedEvent event, Answer answer) {
            violations.add((answer == null ? "" : answer.status() + ": ") + what + " — replay: -Dfuzz.seed=" + seed + " (case "
                    + index + ") — event: "
                    + event.description() + (answer == null ? "" : " — answer: " + abbreviate(answer.toString())));
        }

        String summary() {
            return "statuses " + statuses + ", refusals " + codes + "; 5xx " + fiveHundreds + ", envelopes missing "
                    + envelopesMissing + ", x-request-id missing " + requestIdsMissing + ", upstream calls when refused "
                    + upstreamCalls + ", secrets in logs " + secretsInLogs + ", secrets in answers " + secretsInAnswers
                    + ", records redacted " + redactedRecords;
        }

        String report() {
            return violations.size() + " violation(s); " + summary() + "\n"
                    + String.join("\n", violations.subList(0, Math.min(SHOWN_VIOLATIONS, violations.size())));
        }

        private static String abbreviate(String text) {
            return text.length() > 400 ? text.substring(0, 400) + "…(" + text.length() + " chars)" : text;
        }
    }
}
