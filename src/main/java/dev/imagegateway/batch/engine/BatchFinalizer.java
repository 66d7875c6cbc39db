package dev.imagegateway.batch.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagegateway.batch.BatchResultLine;
import dev.imagegateway.batch.RemainingTime;
import dev.imagegateway.batch.engine.BatchObject.RequestCounts;
import dev.imagegateway.config.GatewayConfig;
import dev.imagegateway.files.FileStore;
import dev.imagegateway.generation.Deadline;
import dev.imagegateway.queue.SqsClients;
import dev.imagegateway.storage.OutputLinkSigner;
import dev.imagegateway.storage.S3Clients;
import dev.imagegateway.upstream.Upstreams;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Finalizes a batch exactly once. First the output and error file ids are chosen and recorded in
 * batch.json by a conditional PUT (status {@code finalizing} for a completed batch); whoever finalizes
 * after that — a redelivered or concurrent check — reuses those ids, so a repeat rewrites the same two
 * files and never makes new ones. Then the files are assembled by streaming the input file in order:
 * each line's result (fetched {@link #FETCHES} at a time, links re-signed for the output lifetime,
 * {@code usage} summed), or for a line without one, {@code batch_cancelled} / {@code batch_expired}. Last,
 * one conditional PUT sets the final status; a finalizer that finds it already set stops, so there is one
 * transition.
 * <ul>
 * <li>A batch too large for one invocation is assembled over several: before the deadline the progress
 * of both multipart uploads is saved in {@link FinalizeCheckpoint finalize.json} and a check sent at once
 * continues from there (parts after the checkpoint are written again under the same numbers).</li>
 * <li>Parts are at least the results' total ÷ {@link #MAX_PARTS}, so a file of any size fits S3's 10,000
 * parts.</li>
 * <li>A cancelled or expired batch is only finalized once a line started just before could have ended
 * (the longest upstream timeout {@code + s3.reserve} and margins after {@code cancelling_at} / {@code expires_at}),
 * or every line has a result: until then the check comes back.</li>
 * </ul>
 */
@ApplicationScoped
public class BatchFinalizer {

    static final String OUTPUT_PURPOSE = "batch_output";
    /** Parts a file is sized for; S3 allows 10,000, the rest absorbs links re-signed longer than stored. */
    static final int MAX_PARTS = 9_000;
    /** Result GETs in flight at once. */
    static final int FETCHES = 16;
    /** Results held at once: at most one part's worth of bytes (or one result), and twice {@link #FETCHES} lines. */
    private static final int WINDOW_PARTS = 1;
    /** How often a long finalization saves its progress even when it has time left. */
    private static final Duration CHECKPOINT_EVERY = Duration.ofMinutes(2);

    private final BatchStore store;
    private final FinalizeCheckpoints checkpoints;
    private final FileStore files;
    private final OutputLinkSigner links;
    private final WorkQueue queue;
    private final Duration fileExpiry;
    private final int minPartBytes;
    private final long graceSeconds;
    private final long stopReserveMillis;
    private final ExecutorService fetchers;
    private final Clock clock = Clock.systemUTC();

    public BatchFinalizer(BatchStore store, FinalizeCheckpoints checkpoints, FileStore files, OutputLinkSigner links,
            WorkQueue queue, GatewayConfig config) {
        this.store = store;
        this.checkpoints = checkpoints;
        this.files = files;
        this.links = links;
        this.queue = queue;
        this.fileExpiry = config.files().defaultExpiry();
        this.minPartBytes = config.batches().outputPartBytes();
        // The longest a line started just before the cancel or the expiry may still run: its route's upstream
        // timeout (the slowest of all, since a line may go to any), storage and margins. The default
        // upstream's timeout alone left a line on a slower named upstream running past the wait, and billed.
        this.graceSeconds = Upstreams.longestTimeout(config).plus(config.s3().reserve()).plus(Deadline.ANSWER_MARGIN)
                .plus(config.batch().deadlineMargin()).plusSeconds(1).toSeconds();
        // The checkpoint's PUT and the check that continues, each at its longest, and the margin, which
        // also covers the window begun just before (its GETs run in parallel, well under a second each).
        this.stopReserveMillis = S3Clients.CALL_TIMEOUT.toMillis() + SqsClients.CALL_TIMEOUT.toMillis()
                + config.batch().deadlineMargin().toMillis();
        // Daemon threads, made when first used: SnapStart's snapshot holds no started thread of ours.
        this.fetchers = Executors.newFixedThreadPool(FETCHES, runnable -> {
            Thread thread = new Thread(runnable, "batch-finalize");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Time an invocation must have left to go on assembling; less, and it saves its progress and stops. */
    long stopReserveMillis() {
        return stopReserveMillis;
    }

    /** How long after a cancel or an expiry a line started just before may still be running. */
    long graceSeconds() {
        return graceSeconds;
    }

    void finalizeBatch(String owner, String id, String target, RemainingTime deadline) {
        Optional<BatchStore.Versioned> found = store.find(owner, id);
        if (found.isEmpty() || found.get().record().isTerminal()) {
            return;
        }
        List<BatchStore.ResultObject> results = store.results(owner, id);
        if (found.get().record().engine().outputFileId() == null && mayStillRun(found.get().record(), target,
                results)) {
            Log.infof("Batch %s: waiting for lines that may still run before finalizing as %s", id, target);
            queue.sendCheck(owner, id);
            return;
        }
        long now = clock.instant().getEpochSecond();
        Optional<BatchRecord> reserved = store.update(owner, id, current -> {
            if (current.isTerminal() || current.engine().outputFileId() != null) {
                return Optional.empty();
            }
            return Optional.of(current.edited(b -> {
                if (target.equals(BatchStatus.COMPLETED)) {
                    b.put("status", BatchStatus.FINALIZING);
                    b.put("finalizing_at", now);
                }
            }, e -> {
                e.put("output_file_id", files.newId());
                e.put("error_file_id", files.newId());
                e.put("final_status", target);
            }));
        });
        if (reserved.isEmpty() || reserved.get().isTerminal()) {
            return;
        }
        BatchRecord record = reserved.get();
        Optional<Assembly> assembled = assemble(owner, record, results, deadline);
        if (assembled.isEmpty()) {
            return;
        }
        Assembly assembly = assembled.get();
        long done = clock.instant().getEpochSecond();
        String finalStatus = record.engine().finalStatus();
        Optional<BatchRecord> finished = store.update(owner, id, current -> current.isTerminal() ? Optional.empty()
                : Optional.of(current.editedBatch(b -> {
                    b.put("status", finalStatus);
                    b.put(switch (finalStatus) {
                        case BatchStatus.CANCELLED -> "cancelled_at";
                        case BatchStatus.EXPIRED -> "expired_at";
                        default -> "completed_at";
                    }, done);
                    b.put("output_file_id", assembly.ok > 0 ? current.engine().outputFileId() : null);
                    b.put("error_file_id", assembly.failed > 0 ? current.engine().errorFileId() : null);
                    b.set("request_counts", BatchRecord.JSON.valueToTree(new RequestCounts(current.engine().lines(),
                            assembly.ok, assembly.failed)));
                    b.set("usage", assembly.usage);
                })));
        checkpoints.delete(owner, id);
        Log.infof("Batch %s %s: %d lines, %d completed, %d failed", id, finished.map(BatchRecord::status).orElse("?"),
                record.engine().lines(), assembly.ok, assembly.failed);
    }

    /**
     * Whether a cancelled or expired batch may still have a line running: one that started just before
     * lines stopped starting (LineWorker runs none once the batch is not in_progress or has expired) may
     * run for the line reserve after that, unless every line already has its result.
     */
    private boolean mayStillRun(BatchRecord record, String target, List<BatchStore.ResultObject> results) {
        if (target.equals(BatchStatus.COMPLETED)) {
            return false;
        }
        long withResults = results.stream().mapToInt(r -> BatchStore.lineOf(r.key())).distinct().count();
        if (withResults >= record.engine().lines()) {
            return false;
        }
        BatchObject batch = record.batch();
        Long stopped = target.equals(BatchStatus.CANCELLED) ? batch.cancellingAt() : null;
        if (batch.expiresAt() != null && (stopped == null || batch.expiresAt() < stopped)) {
            stopped = batch.expiresAt();
        }
        return stopped != null && clock.instant().getEpochSecond() < stopped + graceSeconds;
    }

    private record Assembly(int ok, int failed, ObjectNode usage) {
    }

    /** Cut off before the deadline: progress is saved and a check continues. */
    private static final class OutOfTime extends RuntimeException {
        OutOfTime() {
            super(null, null, false, false);
        }
    }

    /** One input line and its result object, if it has one. */
    private record Entry(InputLine line, BatchStore.ResultObject result) {
    }

    /** One of the two files being written, and how much of it is safely in uploaded parts. */
    private static final class FileStream {
        final FileStore.FileWriter writer;
        FinalizeCheckpoint.FileProgress done;
        int lines;

        FileStream(FileStore.FileWriter writer, FinalizeCheckpoint.FileProgress from) {
            this.writer = writer;
            this.done = from;
            this.lines = from.lines();
            if (from.uploadId() != null) {
                writer.resume(from.uploadId(), from.parts(), from.bytes());
            }
        }

        boolean wants(int line) {
            return line >= done.nextLine();
        }

        /** Writes one line; returns whether that completed a part, which then holds every line so far. */
        boolean write(int line, byte[] bytes) {
            long before = writer.uploadedBytes();
            writer.write(bytes);
            lines++;
            if (writer.uploadedBytes() == before) {
                return false;
            }
            done = new FinalizeCheckpoint.FileProgress(writer.uploadId(), writer.partETags(), writer.uploadedBytes(),
                    line + 1, lines);
            return true;
        }

        void finish() {
            if (lines > 0) {
                writer.finish();
            } else {
                writer.abort();
            }
        }
    }

    /**
     * Writes the output and error files from the checkpoint on; empty when this invocation stopped first
     * (a check continues) or lost its checkpoint to a concurrent finalizer (which goes on).
     */
    private Optional<Assembly> assemble(String owner, BatchRecord record, List<BatchStore.ResultObject> results,
            RemainingTime deadline) {
        BatchObject batch = record.batch();
        Optional<FinalizeCheckpoints.Versioned> saved = checkpoints.find(owner, batch.id());
        FinalizeCheckpoint from = saved.map(FinalizeCheckpoints.Versioned::checkpoint).orElseGet(
                () -> new FinalizeCheckpoint(partBytes(results), FinalizeCheckpoint.FileProgress.NONE,
                        FinalizeCheckpoint.FileProgress.NONE, null));
        Map<Integer, BatchStore.ResultObject> byLine = new HashMap<>();
        for (BatchStore.ResultObject result : results) {
            // Listed in key order: a line with both kinds (two deliveries) keeps its .ok.json.
            byLine.put(BatchStore.lineOf(result.key()), result);
        }
        FileStream output = new FileStream(files.write(owner, record.engine().outputFileId(), OUTPUT_PURPOSE,
                batch.id() + "_output.jsonl", fileExpiry, from.partBytes()), from.output());
        FileStream errors = new FileStream(files.write(owner, record.engine().errorFileId(), OUTPUT_PURPOSE,
                batch.id() + "_error.jsonl", fileExpiry, from.partBytes()), from.errors());
        Progress progress = new Progress(owner, batch.id(), from, saved.map(FinalizeCheckpoints.Versioned::etag)
                .orElse(null), output, errors);
        String missingCode = record.engine().finalStatus().equals(BatchStatus.CANCELLED) ? "batch_cancelled"
                : "batch_expired";
        String missingMessage = missingCode.equals("batch_cancelled") ? "The batch was cancelled before this line ran."
                : "The batch expired before this line ran.";
        long windowBytes = (long) WINDOW_PARTS * from.partBytes();
        int firstLine = Math.min(output.done.nextLine(), errors.done.nextLine());
        List<Entry> window = new ArrayList<>();
        long[] held = { 0 };
        try (InputStream content = lines(owner, record)) {
            if (content != null) {
                InputFileLines.forEach(content, line -> {
                    if (line.number() < firstLine) {
                        return;
                    }
                    BatchStore.ResultObject result = byLine.get(line.number());
                    if (!(result == null || !BatchStore.isOk(result.key()) ? errors : output).wants(line.number())) {
                        // In a part an earlier invocation uploaded.
                        return;
                    }
                    window.add(new Entry(line, result));
                    held[0] += result == null ? 0 : result.size();
                    if (window.size() >= 2 * FETCHES || held[0] >= windowBytes) {
                        write(window, progress, deadline, missingCode, missingMessage);
                        window.clear();
                        held[0] = 0;
                    }
                });
            }
            write(window, progress, deadline, missingCode, missingMessage);
            if (deadline.remainingMillis() < stopReserveMillis) {
                throw new OutOfTime();
            }
        } catch (OutOfTime e) {
            progress.stop();
            return Optional.empty();
        } catch (Progress.Lost e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        output.finish();
        errors.finish();
        return Optional.of(new Assembly(output.lines, errors.lines, progress.usage.batchUsage()));
    }

    /** The usage and the checkpoint of one assembly. */
    private final class Progress {
        /** Another finalizer saved a newer checkpoint: it carries on, this one stops. */
        static final class Lost extends RuntimeException {
            Lost() {
                super(null, null, false, false);
            }
        }

        final String owner;
        final String id;
        final int partBytes;
        final FileStream output;
        final FileStream errors;
        final UsageSum usage;
        JsonNode usageDone;
        String etag;
        boolean savedOnce;
        boolean changed;
        long savedAt = clock.millis();

        Progress(String owner, String id, FinalizeCheckpoint from, String etag, FileStream output,
                FileStream errors) {
            this.owner = owner;
            this.id = id;
            this.partBytes = from.partBytes();
            this.output = output;
            this.errors = errors;
            this.usage = new UsageSum(from.usage());
            this.usageDone = from.usage();
            this.etag = etag;
        }

        void outputPartDone() {
            usageDone = usage.snapshot();
            changed = true;
        }

        void save() {
            Optional<String> next = checkpoints.save(owner, id, new FinalizeCheckpoint(partBytes, output.done,
                    errors.done, usageDone), etag);
            if (next.isEmpty()) {
                Log.infof("Batch %s: another finalizer went further; this one stops", id);
                if (!savedOnce) {
                    // Uploads this invocation began are its own (abort leaves resumed ones).
                    output.writer.abort();
                    errors.writer.abort();
                }
                throw new Lost();
            }
            etag = next.get();
            savedOnce = true;
            changed = false;
            savedAt = clock.millis();
        }

        /** Saves now and then, so that a failed invocation loses little. */
        void maybeSave() {
            if (changed && clock.millis() - savedAt >= CHECKPOINT_EVERY.toMillis()) {
                save();
            }
        }

        /** Out of time: saves what is in uploaded parts and sends the check that continues from there. */
        void stop() {
            try {
                save();
            } catch (Lost e) {
                return;
            }
            Log.infof("Batch %s: finalization paused at output line %d, error line %d; a check continues it", id,
                    output.done.nextLine(), errors.done.nextLine());
            queue.send(WorkMessage.check(owner, id), Duration.ZERO);
        }
    }

    /** Writes one window of lines in order, their results fetched in parallel first. */
    private void write(List<Entry> window, Progress progress, RemainingTime deadline, String missingCode,
            String missingMessage) {
        if (window.isEmpty()) {
            return;
        }
        if (deadline.remainingMillis() < stopReserveMillis) {
            throw new OutOfTime();
        }
        List<Future<byte[]>> fetched = new ArrayList<>();
        for (Entry entry : window) {
            BatchStore.ResultObject result = entry.result();
            boolean wanted = result != null && (BatchStore.isOk(result.key()) ? progress.output : progress.errors)
                    .wants(entry.line().number());
            fetched.add(wanted ? fetchers.submit(() -> store.read(result.key())) : null);
        }
        for (int i = 0; i < window.size(); i++) {
            Entry entry = window.get(i);
            int number = entry.line().number();
            if (entry.result() == null) {
                if (progress.errors.wants(number)) {
                    progress.errors.write(number, jsonLine(BatchRecord.JSON.valueToTree(new BatchResultLine(
                            lineId(progress.id, number), customIdOf(entry.line().bytes()), null,
                            new BatchResultLine.Error(missingCode, missingMessage)))));
                }
                continue;
            }
            if (fetched.get(i) == null) {
                continue;
            }
            ObjectNode result = parse(await(fetched.get(i)));
            if (BatchStore.isOk(entry.result().key())) {
                JsonNode body = result.path("response").path("body");
                resign(body);
                progress.usage.add(body.get("usage"));
                if (progress.output.write(number, jsonLine(result))) {
                    progress.outputPartDone();
                }
            } else {
                // A dead-lettered line is recorded without its custom_id when the worker could not read
                // its line; here the line is at hand, and every line of OpenAI's error file has one.
                if (!result.hasNonNull("custom_id")) {
                    result.put("custom_id", customIdOf(entry.line().bytes()));
                }
                if (progress.errors.write(number, jsonLine(result))) {
                    progress.changed = true;
                }
            }
        }
        progress.maybeSave();
    }

    /** The part size: S3's 10,000 parts must hold every result, whatever their size. */
    private int partBytes(List<BatchStore.ResultObject> results) {
        long total = results.stream().mapToLong(BatchStore.ResultObject::size).sum();
        long needed = (total + MAX_PARTS - 1) / MAX_PARTS;
        return (int) Math.min(Integer.MAX_VALUE / 2, Math.max(minPartBytes, needed));
    }

    /** The same id for a line without a result however often its line is written. */
    private static String lineId(String batchId, int line) {
        return "batch_req_" + UUID.nameUUIDFromBytes((batchId + "/" + line).getBytes(StandardCharsets.UTF_8))
                .toString().replace("-", "");
    }

    private static byte[] await(Future<byte[]> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading results", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private InputStream lines(String owner, BatchRecord record) {
        // A batch that never left validation has no lines to stream.
        return record.engine().lines() == 0 ? null : store.openInput(owner, record.batch().id());
    }

    /** Links expire; each item's key does not: every link is signed afresh for the output lifetime. */
    private void resign(JsonNode body) {
        for (JsonNode item : body.path("data")) {
            if (item.isObject() && item.hasNonNull("key") && item.has("url")) {
                ((ObjectNode) item).put("url", links.link(item.get("key").asText()).toString());
            }
        }
    }

    private static ObjectNode parse(byte[] result) {
        try {
            return (ObjectNode) BatchRecord.JSON.readTree(result);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String customIdOf(byte[] line) {
        try {
            return line == null ? null : BatchRecord.JSON.readTree(line).path("custom_id").asText(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static byte[] jsonLine(JsonNode node) {
        try {
            byte[] json = BatchRecord.JSON.writeValueAsBytes(node);
            byte[] line = java.util.Arrays.copyOf(json, json.length + 1);
            line[json.length] = '\n';
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sums the numeric fields of the lines' {@code usage} objects, nested ones included, and answers them in
     * OpenAI's BatchUsage shape (openai-python {@code types/batch_usage.py}).
     */
    static final class UsageSum {
        private final ObjectNode total;

        /** @param from a sum so far ({@link #snapshot}), or null */
        UsageSum(JsonNode from) {
            this.total = from instanceof ObjectNode o ? o.deepCopy() : BatchRecord.JSON.createObjectNode();
        }

        void add(JsonNode usage) {
            if (usage != null && usage.isObject()) {
                add(total, (ObjectNode) usage);
            }
        }

        private static void add(ObjectNode into, ObjectNode from) {
            from.fields().forEachRemaining(field -> {
                JsonNode value = field.getValue();
                if (value.isIntegralNumber()) {
                    into.put(field.getKey(), into.path(field.getKey()).asLong(0) + value.asLong());
                } else if (value.isObject()) {
                    JsonNode existing = into.get(field.getKey());
                    ObjectNode nested = existing instanceof ObjectNode o ? o : into.putObject(field.getKey());
                    add(nested, (ObjectNode) value);
                }
            });
        }

        /** The sum so far, as a checkpoint keeps it. */
        ObjectNode snapshot() {
            return total.deepCopy();
        }

        /**
         * The sum with every field of BatchUsage, zero where no line's usage had it (an image answer has no
         * cached or reasoning tokens); the lines' other fields ({@code image_tokens} and the like) stay.
         */
        ObjectNode batchUsage() {
            ObjectNode usage = total.deepCopy();
            for (String field : new String[] { "input_tokens", "output_tokens", "total_tokens" }) {
                usage.put(field, usage.path(field).asLong(0));
            }
            details(usage, "input_tokens_details").put("cached_tokens",
                    usage.path("input_tokens_details").path("cached_tokens").asLong(0));
            details(usage, "output_tokens_details").put("reasoning_tokens",
                    usage.path("output_tokens_details").path("reasoning_tokens").asLong(0));
            return usage;
        }

        private static ObjectNode details(ObjectNode usage, String field) {
            return usage.get(field) instanceof ObjectNode o ? o : usage.putObject(field);
        }
    }
}
