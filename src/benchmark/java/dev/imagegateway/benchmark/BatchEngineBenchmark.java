package dev.imagegateway.benchmark;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagegateway.api.GatewayKeys;
import dev.imagegateway.files.FileStore;
import dev.imagegateway.testsupport.Gateway;
import dev.imagegateway.testsupport.InvocationContext;
import dev.imagegateway.testsupport.S3TestServer;
import dev.imagegateway.testsupport.SqsLambdaDriver;
import dev.imagegateway.testsupport.SqsTestServer;
import dev.imagegateway.testsupport.SqsTestServer.InjectSqs;
import dev.imagegateway.testsupport.TestImages;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The Batch API's engine: (1) the time and heap one start message takes to validate and enqueue a
 * 50,000-line input file, and (2) lines per second through the worker at concurrency 1 and 4, each
 * line a real SQS event through the Lambda handler, against the instant upstream (a 1024x1024 PNG,
 * the same picture as the HTTP route's overhead benchmark, answered as b64_json), so the time per line
 * compares with the HTTP route's overhead. S3 is S3Proxy and the queue ElasticMQ, both in this JVM.
 */
@QuarkusTest
@WithTestResource(S3TestServer.class)
@WithTestResource(SqsTestServer.class)
@WithTestResource(InstantUpstream.Resource.class)
@TestProfile(BatchEngineBenchmark.Profile.class)
class BatchEngineBenchmark {

    /** Checks far apart and few attempts: the benchmark times lines, not the check loop. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("images.batches.check-interval", "900s");
        }
    }

    private static final int ENQUEUED_LINES = 50_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final int workerLines = Integer.getInteger("benchmark.batch.lines", 200);

    InstantUpstream upstream;

    @InjectSqs
    SqsClient sqs;

    @Inject
    FileStore files;

    @Inject
    GatewayKeys keys;

    @Test
    void enqueueAndWorkerThroughput() throws Exception {
        ObjectNode section = BenchmarkReport.machine();
        String owner = keys.authenticate("Bearer " + Gateway.CALLER_KEY).owner();
        upstream.answerWith(List.of(TestImages.noisyPng(1024, 1024, 4, 1)));
        SqsLambdaDriver queue = SqsLambdaDriver.ofQueue(sqs);

        section.set("enqueue", enqueue(queue, owner));
        purge();
        ObjectNode worker = section.putObject("worker");
        for (int concurrency : List.of(1, 4)) {
            worker.set("concurrency_" + concurrency, lines(queue, owner, concurrency));
            purge();
        }
        BenchmarkReport.record("batch_engine", section);
    }

    private ObjectNode enqueue(SqsLambdaDriver queue, String owner) throws Exception {
        ByteArrayOutputStream input = new ByteArrayOutputStream();
        for (int i = 0; i < ENQUEUED_LINES; i++) {
            input.writeBytes(line("line-" + i, "{\"model\":\"gpt-image-2\",\"prompt\":\"an otter number " + i
                    + " swimming in a kelp forest at dawn, photographed from below\"}").getBytes(StandardCharsets.UTF_8));
        }
        String fileId = files.create(owner, "batch", "fifty-thousand.jsonl", input.toByteArray(), null).id();
        String batchId = createBatch(fileId);
        Message start = receive(queue, "start");

        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long baseline = memory.getHeapMemoryUsage().getUsed();
        AtomicLong peak = new AtomicLong(baseline);
        AtomicLong peakAfterGc = new AtomicLong(liveAfterGc());
        ExecutorService sampler = Executors.newSingleThreadExecutor();
        AtomicInteger running = new AtomicInteger(1);
        sampler.submit(() -> {
            while (running.get() == 1) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                peakAfterGc.accumulateAndGet(liveAfterGc(), Math::max);
                Thread.sleep(5);
            }
            return null;
        });
        long began = System.nanoTime();
        // A 15-minute invocation, as the worker function's.
        var failed = queue.deliver(List.of(start), new InvocationContext(900_000));
        long nanos = System.nanoTime() - began;
        running.set(0);
        sampler.shutdown();
        sampler.awaitTermination(1, TimeUnit.SECONDS);
        System.gc();
        // What stays after a full GC is ElasticMQ holding the 50,000 messages in this same JVM, not the worker.
        long retained = memory.getHeapMemoryUsage().getUsed() - baseline;
        assertThat(failed).isEmpty();
        String status = given().header("Authorization", "Bearer " + Gateway.CALLER_KEY).get("/v1/batches/" + batchId)
                .then().statusCode(200).extract().path("status");
        assertThat(status).isEqualTo("in_progress");

        ObjectNode figures = JSON.createObjectNode();
        figures.put("lines", ENQUEUED_LINES);
        figures.put("input_bytes", input.size());
        figures.put("seconds", Math.round(nanos / 1e7) / 100.0);
        figures.put("lines_per_second", Math.round(ENQUEUED_LINES / (nanos / 1e9)));
        figures.put("peak_heap_above_baseline_bytes", peak.get() - baseline);
        figures.put("retained_after_gc_bytes", retained);
        figures.put("peak_live_after_gc_bytes", peakAfterGc.get() - baseline);
        figures.put("note", "one start message: validate (stream), then enqueue (stream, SendMessageBatch x16 in"
                + " parallel); heap sampled every 5 ms (used, garbage included; and live, right after each collection), so a short peak between samples is missed");
        return figures;
    }

    private ObjectNode lines(SqsLambdaDriver queue, String owner, int concurrency) throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < workerLines; i++) {
            lines.add(line("line-" + i, "{\"model\":\"gpt-image-2\",\"prompt\":\"otter " + i + "\"}"));
        }
        String fileId = files.create(owner, "batch", "lines.jsonl",
                (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8), null).id();
        createBatch(fileId);
        queue.deliver(List.of(receive(queue, "start")), new InvocationContext(900_000));

        AtomicInteger done = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(concurrency);
        long began = System.nanoTime();
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            running.add(workers.submit(() -> {
                while (done.get() < workerLines) {
                    for (Message message : queue.receive()) {
                        if (SqsLambdaDriver.hasType(message, "line")
                                && queue.deliver(List.of(message), new InvocationContext(900_000)).isEmpty()) {
                            done.incrementAndGet();
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> worker : running) {
            worker.get(10, TimeUnit.MINUTES);
        }
        long nanos = System.nanoTime() - began;
        workers.shutdown();

        ObjectNode figures = JSON.createObjectNode();
        figures.put("lines", workerLines);
        figures.put("seconds", Math.round(nanos / 1e7) / 100.0);
        figures.put("lines_per_second", Math.round(workerLines / (nanos / 1e9) * 10) / 10.0);
        figures.put("ms_per_line_per_worker", Math.round(nanos / 1e4 * concurrency / workerLines) / 100.0);
        figures.put("note", "each line: SQS receive (up to 10), one SQS event through LambdaEntry, S3 batch.json GET,"
                + " result LIST, input range GET, upstream call, result PUT, SQS delete; the upstream's own time is"
                + " microseconds");
        return figures;
    }

    /** Heap in use right after the last collection of each pool: live data, not garbage waiting to go. */
    private static long liveAfterGc() {
        long live = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                live += pool.getCollectionUsage().getUsed();
            }
        }
        return live;
    }

    private static String line(String customId, String body) {
        return "{\"custom_id\":\"" + customId + "\",\"method\":\"POST\",\"url\":\"/v1/images/generations\",\"body\":"
                + body + "}\n";
    }

    private static String createBatch(String fileId) {
        return given().header("Authorization", "Bearer " + Gateway.CALLER_KEY).contentType(ContentType.JSON)
                .body("{\"input_file_id\":\"" + fileId + "\",\"endpoint\":\"/v1/images/generations\","
                        + "\"completion_window\":\"24h\"}")
                .post("/v1/batches").then().statusCode(200).extract().path("id");
    }

    private static Message receive(SqsLambdaDriver queue, String type) {
        for (int i = 0; i < 30; i++) {
            for (Message message : queue.receive()) {
                if (SqsLambdaDriver.hasType(message, type)) {
                    return message;
                }
            }
        }
        throw new AssertionError("no " + type + " message");
    }

    private void purge() {
        String url = sqs.getQueueUrl(q -> q.queueName(SqsTestServer.QUEUE)).queueUrl();
        sqs.purgeQueue(p -> p.queueUrl(url));
    }
}
