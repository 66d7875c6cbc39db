package dev.imagegateway.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagegateway.testsupport.LambdaRuntimeApi;
import dev.imagegateway.testsupport.LambdaRuntimeApi.Outcome;
import dev.imagegateway.testsupport.PackagedFunction;
import dev.imagegateway.testsupport.S3TestServer;
import dev.imagegateway.testsupport.TestImages;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The cold-start proxy: process start to first answered invocation of {@code target/function.zip} under
 * AWS's runtime interface client and a local Lambda Runtime API, with the JVM options of AWS's Java
 * runtime, several runs with priming off and on ({@code IMAGES_PRIMING_ENABLED}), alternating.
 */
class ColdStartFunctionBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String FIRST_REQUEST = "{\"model\":\"dall-e-2\",\"prompt\":\"A cute baby sea otter\",\"size\":\"256x256\",\"response_format\":\"url\"}";

    private final int runs = Integer.getInteger("benchmark.coldstart.runs", 5);

    @Test
    void processStartToFirstAnsweredInvocation_withAndWithoutPriming() throws Exception {
        ObjectNode machine = BenchmarkReport.machine();
        Path taskRoot = PackagedFunction.unzip(PackagedFunction.ZIP, PackagedFunction.TARGET.resolve("function-benchmark"));
        S3TestServer s3 = new S3TestServer();
        try (InstantUpstream upstream = new InstantUpstream()) {
            URI s3Endpoint = s3.startServer();
            upstream.answerWith(List.of(TestImages.noisyPng(256, 256, 4, 1)));
            Map<Boolean, long[][]> times = new HashMap<>();
            times.put(false, new long[runs][]);
            times.put(true, new long[runs][]);
            for (int run = 0; run < runs; run++) {
                for (boolean priming : List.of(false, true)) {
                    times.get(priming)[run] = coldStart(taskRoot, s3Endpoint, upstream, priming, run);
                }
            }
            ObjectNode section = JSON.createObjectNode();
            section.set("machine", machine);
            section.put("definition", "launch of the JVM running the runtime interface client to the runtime API"
                    + " receiving the answer of the first invocation (an HTTP API event, url, 256x256)");
            section.put("jvm_options", String.join(" ", PackagedFunction.LAMBDA_JVM_OPTIONS));
            section.put("handler", PackagedFunction.handlerInTemplate());
            section.put("function_zip_bytes", Files.size(PackagedFunction.ZIP));
            section.set("priming_off", summary(times.get(false)));
            section.set("priming_on", summary(times.get(true)));
            BenchmarkReport.record("cold_start", section);
        } finally {
            s3.stop();
        }
    }

    /** One cold start: {start to first answer, start to first poll, first poll to first answer} in ms. */
    private static long[] coldStart(Path taskRoot, URI s3Endpoint, InstantUpstream upstream, boolean priming, int run)
            throws Exception {
        Map<String, String> env = FunctionEnvironment.of(s3Endpoint, upstream);
        env.put("IMAGES_PRIMING_ENABLED", Boolean.toString(priming));
        Path log = PackagedFunction.TARGET.resolve("cold-start-" + (priming ? "priming-" : "no-priming-") + run + ".log");
        try (LambdaRuntimeApi runtime = new LambdaRuntimeApi()) {
            PackagedFunction function = PackagedFunction.start(taskRoot, runtime, PackagedFunction.LAMBDA_JVM_OPTIONS,
                    env, log);
            try {
                Outcome outcome = runtime.invoke(FunctionEnvironment.httpEvent(FIRST_REQUEST), WAIT, WAIT);
                assertThat(outcome.error()).as(outcome.text()).isFalse();
                assertThat(JSON.readTree(outcome.body()).path("statusCode").asInt()).as(outcome.text()).isEqualTo(200);
                long launched = function.launchedAtNanos();
                long[] millis = { (outcome.answeredAtNanos() - launched) / 1_000_000,
                        (runtime.firstPollNanos() - launched) / 1_000_000,
                        (outcome.answeredAtNanos() - runtime.firstPollNanos()) / 1_000_000 };
                System.out.printf(
                        "cold start, priming %s: first answer after %d ms (first poll %d ms, first invocation %d ms)%n",
                        priming ? "on" : "off", millis[0], millis[1], millis[2]);
                return millis;
            } finally {
                function.close();
            }
        }
    }

    private static ObjectNode summary(long[][] runs) {
        ObjectNode summary = JSON.createObjectNode();
        ArrayNode answers = summary.putArray("runs_ms");
        ArrayNode polls = summary.putArray("first_poll_ms");
        ArrayNode invocations = summary.putArray("first_invocation_ms");
        for (long[] run : runs) {
            answers.add(run[0]);
            polls.add(run[1]);
            invocations.add(run[2]);
        }
        summary.put("median_ms", median(runs, 0));
        summary.put("first_poll_median_ms", median(runs, 1));
        summary.put("first_invocation_median_ms", median(runs, 2));
        return summary;
    }

    private static double median(long[][] runs, int column) {
        double[] values = Arrays.stream(runs).mapToDouble(run -> run[column]).sorted().toArray();
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}
