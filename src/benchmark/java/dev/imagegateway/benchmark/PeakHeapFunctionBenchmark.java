package dev.imagegateway.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.management.GarbageCollectionNotificationInfo;
import dev.imagegateway.testsupport.LambdaRuntimeApi;
import dev.imagegateway.testsupport.LambdaRuntimeApi.Outcome;
import dev.imagegateway.testsupport.PackagedFunction;
import dev.imagegateway.testsupport.S3TestServer;
import dev.imagegateway.testsupport.TestImages;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.MBeanServerConnection;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.Test;

/**
 * Peak heap of one request for n=10 images of 4 MB each ({@code url}), in the packaged function's own
 * JVM, so neither S3Proxy nor the upstream's 53 MB answer share its heap. Watched over JMX on 127.0.0.1:
 * after a warm-up request of the same kind and two full collections (the baseline), full collections
 * are forced back to back for as long as the request runs; each one's heap-after-collection is the
 * exact live heap at that instant. Peak live heap = the largest of them minus the baseline.
 */
class PeakHeapFunctionBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int IMAGES = 10;
    private static final int IMAGE_BYTES = 4_000_000;
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String REQUEST = "{\"model\":\"dall-e-2\",\"prompt\":\"A cute baby sea otter\",\"n\":10,\"size\":\"1024x1024\",\"response_format\":\"url\"}";
    /** The serial collector is what the JVM picks on Lambda (under 2 vCPUs); a fixed heap keeps sizing out of it. */
    private static final List<String> HEAP_OPTIONS = List.of("-XX:+UseSerialGC", "-Xms512m", "-Xmx512m");

    @Test
    void peakHeap_ofOneRequestForTenImagesOfFourMegabytes() throws Exception {
        ObjectNode machine = BenchmarkReport.machine();
        Path taskRoot = PackagedFunction.unzip(PackagedFunction.ZIP, PackagedFunction.TARGET.resolve("function-benchmark"));
        S3TestServer s3 = new S3TestServer();
        try (InstantUpstream upstream = new InstantUpstream(); LambdaRuntimeApi runtime = new LambdaRuntimeApi()) {
            URI s3Endpoint = s3.startServer();
            List<byte[]> images = new ArrayList<>();
            for (int seed = 1; seed <= IMAGES; seed++) {
                // Incompressible, like real image data; the gateway checks only the PNG signature.
                images.add(TestImages.pngSignedNoise(IMAGE_BYTES, seed));
            }
            upstream.answerWith(images);
            int port = freePort();
            List<String> jvm = new ArrayList<>(PackagedFunction.LAMBDA_JVM_OPTIONS);
            jvm.addAll(HEAP_OPTIONS);
            jvm.addAll(List.of("-Dcom.sun.management.jmxremote", "-Dcom.sun.management.jmxremote.port=" + port,
                    "-Dcom.sun.management.jmxremote.rmi.port=" + port, "-Dcom.sun.management.jmxremote.host=127.0.0.1",
                    "-Dcom.sun.management.jmxremote.authenticate=false", "-Dcom.sun.management.jmxremote.ssl=false",
                    "-Djava.rmi.server.hostname=127.0.0.1"));
            PackagedFunction function = PackagedFunction.start(taskRoot, runtime, jvm,
                    FunctionEnvironment.of(s3Endpoint, upstream), PackagedFunction.TARGET.resolve("peak-heap.log"));
            try {
                assertAnswered(runtime.invoke(FunctionEnvironment.httpEvent(REQUEST), WAIT, WAIT));
                try (JMXConnector jmx = connect(port)) {
                    ObjectNode section = measure(jmx.getMBeanServerConnection(), runtime);
                    section.set("machine", machine);
                    section.put("jvm_options", String.join(" ", jvm.subList(0, PackagedFunction.LAMBDA_JVM_OPTIONS.size()
                            + HEAP_OPTIONS.size())));
                    section.put("upstream_answer_bytes", upstream.answerBytes(IMAGES));
                    BenchmarkReport.record("peak_heap", section);
                }
            } finally {
                function.close();
            }
        } finally {
            s3.stop();
        }
    }

    private static ObjectNode measure(MBeanServerConnection connection, LambdaRuntimeApi runtime) throws Exception {
        MemoryMXBean memory = ManagementFactory.newPlatformMXBeanProxy(connection,
                ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
        List<MemoryPoolMXBean> heapPools = ManagementFactory.getPlatformMXBeans(connection, MemoryPoolMXBean.class)
                .stream().filter(pool -> pool.getType() == MemoryType.HEAP).toList();
        // A collection reports every pool, metaspace and code cache included; only the heap counts here.
        Set<String> heapPoolNames = heapPools.stream().map(MemoryPoolMXBean::getName).collect(Collectors.toSet());

        AtomicLong afterForcedGc = new AtomicLong(-1);
        AtomicLong peakAfterForced = new AtomicLong();
        AtomicLong peakAfterAny = new AtomicLong();
        AtomicInteger forced = new AtomicInteger();
        AtomicInteger collections = new AtomicInteger();
        AtomicBoolean requestRunning = new AtomicBoolean();
        for (GarbageCollectorMXBean collector : ManagementFactory.getPlatformMXBeans(connection,
                GarbageCollectorMXBean.class)) {
            connection.addNotificationListener(collector.getObjectName(), (notification, handback) -> {
                if (!notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                    return;
                }
                GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo
                        .from((CompositeData) notification.getUserData());
                long after = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                        .filter(pool -> heapPoolNames.contains(pool.getKey()))
                        .mapToLong(pool -> pool.getValue().getUsed()).sum();
                boolean isForced = info.getGcCause().equals("System.gc()");
                if (isForced) {
                    afterForcedGc.set(after);
                }
                if (requestRunning.get()) {
                    collections.incrementAndGet();
                    peakAfterAny.accumulateAndGet(after, Math::max);
                    if (isForced) {
                        forced.incrementAndGet();
                        peakAfterForced.accumulateAndGet(after, Math::max);
                    }
                }
            }, null, null);
        }

        memory.gc();
        memory.gc();
        Thread.sleep(200);
        long baseline = afterForcedGc.get() >= 0 ? afterForcedGc.get() : memory.getHeapMemoryUsage().getUsed();
        heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);

        requestRunning.set(true);
        long started = System.nanoTime();
        CompletableFuture<Outcome> answer = CompletableFuture.supplyAsync(() -> {
            try {
                return runtime.invoke(FunctionEnvironment.httpEvent(REQUEST), WAIT, WAIT);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        while (!answer.isDone()) {
            memory.gc();
        }
        long requestNanos = System.nanoTime() - started;
        Thread.sleep(500); // the last notifications
        requestRunning.set(false);
        assertAnswered(answer.get());
        long peakUsed = heapPools.stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();

        long decoded = (long) IMAGES * IMAGE_BYTES;
        long peakLive = peakAfterForced.get() - baseline;
        ObjectNode section = JSON.createObjectNode();
        section.put("definition", "largest heap-after-full-GC during the request (full GCs forced back to back"
                + " over JMX) minus heap-after-full-GC before it, in the function's own JVM");
        section.put("images", IMAGES);
        section.put("image_bytes", IMAGE_BYTES);
        section.put("decoded_bytes", decoded);
        section.put("baseline_live_heap_bytes", baseline);
        section.put("peak_live_heap_bytes", peakLive);
        section.put("peak_live_to_decoded", Math.round(peakLive * 100.0 / decoded) / 100.0);
        section.put("forced_full_gcs_during_request", forced.get());
        section.put("collections_during_request", collections.get());
        section.put("peak_heap_after_any_gc_minus_baseline_bytes", peakAfterAny.get() - baseline);
        section.put("heap_pools_peak_sum_minus_baseline_bytes", peakUsed - baseline); // pools peak at different moments, garbage included: a loose upper bound
        section.put("request_ms_with_forced_gcs", requestNanos / 1_000_000);
        System.out.printf("peak live heap %d bytes over a baseline of %d (%.2fx the %d decoded bytes), %d forced full GCs%n",
                peakLive, baseline, peakLive / (double) decoded, decoded, forced.get());
        return section;
    }

    private static void assertAnswered(Outcome outcome) throws Exception {
        assertThat(outcome.error()).as(outcome.text()).isFalse();
        JsonNode answer = JSON.readTree(outcome.body());
        assertThat(answer.path("statusCode").asInt()).as(outcome.text()).isEqualTo(200);
        assertThat(JSON.readTree(answer.path("body").asText()).path("data")).hasSize(IMAGES);
    }

    private static JMXConnector connect(int port) throws Exception {
        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
        return JMXConnectorFactory.connect(url, Map.of());
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
