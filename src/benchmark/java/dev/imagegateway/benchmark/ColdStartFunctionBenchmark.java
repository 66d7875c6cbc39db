package dev.imagegateway.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagegateway.testsupport.LambdaRuntimeApi;
import dev.imagegateway.testsupport.LambdaRuntimeApi.Outcome;
import dev.imagegateway.testsupport.PackagedFunction;
import dev.imagegateway.testsupport.S3TestServer;
import dev.imagegateway.testsupport.TestImages;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Cold start as Lambda would see it: process start to the first answered invocation of a function.zip
 * under AWS's runtime interface client, a local Lambda Runtime API and the environment Lambda gives
 * ({@link PackagedFunction}: the runtime's JVM options, {@code AWS_EXECUTION_ENV}, 1024 MB). Three
 * variants, alternating, several runs each:
 * <ul>
 * <li>{@code empty_app}: an empty Quarkus Lambda HTTP application ({@code src/benchmark/empty-lambda-app},
 * one JAX-RS {@code GET /hello}, the same Quarkus version), built here, answering {@code GET /hello};</li>
 * <li>{@code on_demand}: the gateway, {@code AWS_LAMBDA_INITIALIZATION_TYPE=on-demand}, answering a
 * generation;</li>
 * <li>{@code restored}: the gateway initialised as for a SnapStart snapshot ({@code snap-start}): the
 * runtime runs the {@code beforeCheckpoint} hooks (the priming exchange), asks the Runtime API for
 * {@code restore/next}, which answers at once as a restore would, runs {@code afterRestore} and polls.
 * Its first invocation is what a restored snapshot's first invocation costs, less the restore itself.</li>
 * <li>{@code on_demand_appcds}: as {@code on_demand}, started with a dynamic application CDS archive
 * ({@code -XX:SharedArchiveFile}) that one untimed on-demand start and first answer wrote at its exit
 * ({@code -XX:ArchiveClassesAtExit}): what an archive would give where the JVM that made it is the JVM
 * that runs it, at the same paths. Lambda's managed runtime is not such a place (see docs/performance.md).</li>
 * </ul>
 * Each run reports process start to first poll, first poll to first answer and their sum.
 */
class ColdStartFunctionBenchmark {

    enum Variant {
        EMPTY_APP,
        ON_DEMAND,
        RESTORED,
        /** As {@code ON_DEMAND}, with an application class-data-sharing archive this JVM made of a start. */
        ON_DEMAND_APPCDS
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String FIRST_REQUEST = "{\"model\":\"dall-e-2\",\"prompt\":\"A cute baby sea otter\",\"size\":\"256x256\",\"response_format\":\"url\"}";
    private static final Path EMPTY_APP = Path.of("src", "benchmark", "empty-lambda-app");
    private static final Path APPCDS_ARCHIVE = PackagedFunction.TARGET.resolve("function-benchmark.jsa").toAbsolutePath();
    private static final Path EMPTY_APP_ZIP = PackagedFunction.TARGET.resolve("empty-lambda-app").resolve("function.zip");
    private static final String EMPTY_APP_HANDLER = "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest";

    private final int runs = Integer.getInteger("benchmark.coldstart.runs", 5);

    @Test
    void processStartToFirstAnsweredInvocation_onDemandRestoredAndTheEmptyApp() throws Exception {
        ObjectNode machine = BenchmarkReport.machine();
        buildEmptyApp();
        Path gatewayRoot = PackagedFunction.unzip(PackagedFunction.ZIP, PackagedFunction.TARGET.resolve("function-benchmark"));
        Path emptyRoot = PackagedFunction.unzip(EMPTY_APP_ZIP, PackagedFunction.TARGET.resolve("empty-lambda-app-benchmark"));
        S3TestServer s3 = new S3TestServer();
        try (InstantUpstream upstream = new InstantUpstream()) {
            URI s3Endpoint = s3.startServer();
            upstream.answerWith(List.of(TestImages.noisyPng(256, 256, 4, 1)));
            writeAppCdsArchive(gatewayRoot, s3Endpoint, upstream);
            Map<Variant, long[][]> times = new EnumMap<>(Variant.class);
            for (Variant variant : Variant.values()) {
                times.put(variant, new long[runs][]);
            }
            for (int run = 0; run < runs; run++) {
                for (Variant variant : Variant.values()) {
                    Path root = variant == Variant.EMPTY_APP ? emptyRoot : gatewayRoot;
                    times.get(variant)[run] = coldStart(variant, root, s3Endpoint, upstream, run);
                }
            }
            ObjectNode section = JSON.createObjectNode();
            section.set("machine", machine);
            section.put("definition", "launch of the JVM running the runtime interface client to the runtime API"
                    + " receiving the answer of the first invocation; first poll = its first GET invocation/next");
            section.put("jvm_options", String.join(" ", jvmOptions()));
            section.put("handler", PackagedFunction.handlerInTemplate());
            section.put("execution_env", "AWS_Lambda_" + PackagedFunction.runtimeInTemplate());
            section.put("function_zip_bytes", Files.size(PackagedFunction.ZIP));
            section.put("empty_app_function_zip_bytes", Files.size(EMPTY_APP_ZIP));
            for (Variant variant : Variant.values()) {
                section.set(variant.name().toLowerCase(Locale.ROOT), summary(times.get(variant)));
            }
            double[] ratios = new double[runs];
            for (int run = 0; run < runs; run++) {
                ratios[run] = (double) times.get(Variant.ON_DEMAND)[run][0] / times.get(Variant.EMPTY_APP)[run][0];
            }
            ArrayNode perRun = section.putArray("on_demand_to_empty_app_per_run");
            Arrays.stream(ratios).forEach(ratio -> perRun.add(Math.round(ratio * 100) / 100.0));
            section.put("on_demand_to_empty_app_median", Math.round(median(ratios) * 100) / 100.0);
            double[] archived = new double[runs];
            for (int run = 0; run < runs; run++) {
                archived[run] = (double) times.get(Variant.ON_DEMAND_APPCDS)[run][0] / times.get(Variant.EMPTY_APP)[run][0];
            }
            section.put("on_demand_appcds_to_empty_app_median", Math.round(median(archived) * 100) / 100.0);
            section.put("appcds_archive_bytes", Files.size(APPCDS_ARCHIVE));
            ObjectNode census = section.putObject("classes_loaded_to_first_answer");
            for (Variant variant : Variant.values()) {
                Path root = variant == Variant.EMPTY_APP ? emptyRoot : gatewayRoot;
                census.set(variant.name().toLowerCase(Locale.ROOT), classCensus(variant, root, s3Endpoint, upstream));
            }
            BenchmarkReport.record("cold_start", section);
        } finally {
            s3.stop();
        }
    }

    /**
     * One more, untimed, start with {@code -Xlog:class+load}: how many classes were loaded by the first
     * answer, how many of them came from the JDK's class-data-sharing archive, and from which libraries.
     */
    private static ObjectNode classCensus(Variant variant, Path taskRoot, URI s3Endpoint, InstantUpstream upstream)
            throws Exception {
        Path classLog = PackagedFunction.TARGET.resolve("class-load-" + variant.name().toLowerCase(Locale.ROOT) + ".log")
                .toAbsolutePath();
        Files.deleteIfExists(classLog);
        List<String> jvm = new ArrayList<>(jvmOptions(variant));
        jvm.add("-Xlog:class+load=info:file=" + classLog);
        if (Boolean.getBoolean("benchmark.coldstart.profile")) {
            // Where the start's time goes, not only how many classes: execution samples every 10 ms.
            jvm.add("-XX:StartFlightRecording=settings=profile,filename=" + classLog.resolveSibling(
                    "cold-start-" + variant.name().toLowerCase(Locale.ROOT) + ".jfr"));
        }
        coldStart(variant, taskRoot, s3Endpoint, upstream, -1, jvm);
        Map<String, Integer> byOrigin = new java.util.TreeMap<>();
        int total = 0;
        int shared = 0;
        for (String line : Files.readAllLines(classLog)) {
            int tag = line.indexOf("[class,load]");
            if (tag < 0) {
                continue;
            }
            String[] words = line.substring(tag + "[class,load]".length()).strip().split(" ");
            total++;
            if (line.contains("source: shared objects file")) {
                shared++;
            }
            byOrigin.merge(origin(words[0]), 1, Integer::sum);
        }
        ObjectNode census = JSON.createObjectNode();
        census.put("total", total);
        census.put("from_cds_archive", shared);
        ObjectNode origins = census.putObject("by_package");
        byOrigin.entrySet().stream().sorted(Map.Entry.<String, Integer> comparingByValue().reversed())
                .forEach(entry -> origins.put(entry.getKey(), entry.getValue()));
        System.out.printf("classes loaded by the first answer, %s: %d (%d from the CDS archive)%n",
                variant.name().toLowerCase(Locale.ROOT), total, shared);
        return census;
    }

    /** The untimed start whose exit writes the archive the {@code on_demand_appcds} variant starts with. */
    private static void writeAppCdsArchive(Path gatewayRoot, URI s3Endpoint, InstantUpstream upstream) throws Exception {
        Files.deleteIfExists(APPCDS_ARCHIVE);
        List<String> jvm = new ArrayList<>(jvmOptions());
        jvm.add("-XX:ArchiveClassesAtExit=" + APPCDS_ARCHIVE);
        coldStart(Variant.ON_DEMAND, gatewayRoot, s3Endpoint, upstream, -2, jvm);
        assertThat(APPCDS_ARCHIVE).as("the JVM wrote its archive at exit").isNotEmptyFile();
    }

    /**
     * Lambda's JVM options, and any given in {@code benchmark.coldstart.jvm} (space-separated, for every
     * variant alike): what a start would gain from an option the runtime does not set, measured the same way.
     */
    private static List<String> jvmOptions() {
        List<String> options = new ArrayList<>(PackagedFunction.LAMBDA_JVM_OPTIONS);
        String extra = System.getProperty("benchmark.coldstart.jvm", "").strip();
        if (!extra.isEmpty()) {
            options.addAll(List.of(extra.split("\\s+")));
        }
        return options;
    }

    private static List<String> jvmOptions(Variant variant) {
        List<String> options = jvmOptions();
        if (variant == Variant.ON_DEMAND_APPCDS) {
            options.add("-XX:SharedArchiveFile=" + APPCDS_ARCHIVE);
        }
        return options;
    }

    /** A class's library, by its package's first two names ({@code io.netty}, {@code java.util}). */
    private static String origin(String className) {
        String[] parts = className.split("\\.");
        if (parts.length < 3) {
            return parts[0];
        }
        return parts[0] + "." + parts[1];
    }

    /** One cold start: {start to first answer, start to first poll, first poll to first answer} in ms. */
    private static long[] coldStart(Variant variant, Path taskRoot, URI s3Endpoint, InstantUpstream upstream, int run)
            throws Exception {
        return coldStart(variant, taskRoot, s3Endpoint, upstream, run, jvmOptions(variant));
    }

    private static long[] coldStart(Variant variant, Path taskRoot, URI s3Endpoint, InstantUpstream upstream, int run,
            List<String> jvmOptions) throws Exception {
        Map<String, String> env = variant == Variant.EMPTY_APP ? new HashMap<>()
                : FunctionEnvironment.of(s3Endpoint, upstream);
        if (variant == Variant.RESTORED) {
            env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start");
        }
        String name = variant.name().toLowerCase(Locale.ROOT).replace('_', '-');
        Path log = PackagedFunction.TARGET.resolve("cold-start-" + name + "-" + run + ".log");
        try (LambdaRuntimeApi runtime = new LambdaRuntimeApi()) {
            String handler = variant == Variant.EMPTY_APP ? EMPTY_APP_HANDLER : PackagedFunction.handlerInTemplate();
            PackagedFunction function = PackagedFunction.start(taskRoot, handler, runtime, jvmOptions, env, log);
            try {
                byte[] event = variant == Variant.EMPTY_APP ? helloEvent() : FunctionEnvironment.httpEvent(FIRST_REQUEST);
                Outcome outcome = runtime.invoke(event, WAIT, WAIT);
                assertThat(outcome.error()).as(outcome.text()).isFalse();
                JsonNode answer = JSON.readTree(outcome.body());
                assertThat(answer.path("statusCode").asInt()).as(outcome.text()).isEqualTo(200);
                if (variant == Variant.RESTORED) {
                    assertThat(runtime.restoreNanos()).as("the runtime initialised for a snapshot").isPositive();
                    assertThat(Files.readString(log)).as("priming ran before the snapshot").contains("Primed the request path");
                } else if (variant == Variant.ON_DEMAND || variant == Variant.ON_DEMAND_APPCDS) {
                    assertThat(Files.readString(log)).as("no priming on demand").doesNotContain("Primed the request path");
                } else {
                    assertThat(answer.path("body").asText()).isEqualTo("hello");
                }
                long launched = function.launchedAtNanos();
                long[] millis = { (outcome.answeredAtNanos() - launched) / 1_000_000,
                        (runtime.firstPollNanos() - launched) / 1_000_000,
                        (outcome.answeredAtNanos() - runtime.firstPollNanos()) / 1_000_000 };
                System.out.printf("cold start, %s: first answer after %d ms (first poll %d ms, first invocation %d ms)%n",
                        name, millis[0], millis[1], millis[2]);
                return millis;
            } finally {
                function.close();
            }
        }
    }

    /** Builds the empty application with this repository's Maven wrapper, as its pom says. */
    private static void buildEmptyApp() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of("mvnw").toAbsolutePath().toString(), "-B", "-q", "-f",
                EMPTY_APP.resolve("pom.xml").toString(), "package", "-Dquarkus.version=" + quarkusVersion()));
        if (Boolean.getBoolean("benchmark.offline")) {
            command.add("-o");
        }
        Path log = PackagedFunction.TARGET.resolve("empty-lambda-app-build.log");
        Process build = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(build.waitFor(10, TimeUnit.MINUTES)).as("the empty app's build ended").isTrue();
        assertThat(build.exitValue()).as(Files.readString(log, StandardCharsets.UTF_8)).isZero();
        assertThat(EMPTY_APP_ZIP).exists();
    }

    /** The gateway's Quarkus version, from its own pom. */
    private static String quarkusVersion() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        int start = pom.indexOf("<quarkus.version>") + "<quarkus.version>".length();
        return pom.substring(start, pom.indexOf("</quarkus.version>", start)).strip();
    }

    /** {@code GET /hello} as API Gateway's HTTP API delivers it. */
    private static byte[] helloEvent() {
        return ("{\"version\":\"2.0\",\"routeKey\":\"GET /hello\",\"rawPath\":\"/hello\",\"rawQueryString\":\"\","
                + "\"headers\":{\"host\":\"abc123.execute-api.us-east-1.amazonaws.com\"},\"requestContext\":{"
                + "\"accountId\":\"123456789012\",\"apiId\":\"abc123\",\"domainName\":\"abc123.execute-api.us-east-1.amazonaws.com\","
                + "\"http\":{\"method\":\"GET\",\"path\":\"/hello\",\"protocol\":\"HTTP/1.1\",\"sourceIp\":\"203.0.113.10\","
                + "\"userAgent\":\"benchmark\"},\"requestId\":\"benchmark\",\"routeKey\":\"GET /hello\",\"stage\":\"$default\","
                + "\"timeEpoch\":" + System.currentTimeMillis() + "},\"isBase64Encoded\":false}")
                .getBytes(StandardCharsets.UTF_8);
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
        summary.put("median_ms", median(column(runs, 0)));
        summary.put("first_poll_median_ms", median(column(runs, 1)));
        summary.put("first_invocation_median_ms", median(column(runs, 2)));
        return summary;
    }

    private static double[] column(long[][] runs, int column) {
        return Arrays.stream(runs).mapToDouble(run -> run[column]).toArray();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
