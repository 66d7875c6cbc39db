package dev.imagegateway.batch.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imagegateway.batch.BatchResultLine;
import dev.imagegateway.batch.engine.BatchObject.RequestCounts;
import dev.imagegateway.config.GatewayConfig;
import dev.imagegateway.files.FileStore;
import dev.imagegateway.storage.OutputLinkSigner;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Finalizes a batch exactly once. First the output and error file ids are chosen and recorded in
 * batch.json by a conditional PUT (status {@code finalizing} for a completed batch); whoever finalizes
 * after that — a redelivered or concurrent check — reuses those ids, so a repeat rewrites the same two
 * files and never makes new ones. Then the files are assembled by streaming the input file in order:
 * each line's result (links re-signed for the output lifetime, {@code usage} summed), or for a line
 * without one, {@code batch_cancelled} / {@code batch_expired}. Last, one conditional PUT sets the final
 * status; a finalizer that finds it already set stops, so there is one transition.
 */
@ApplicationScoped
public class BatchFinalizer {

    static final String OUTPUT_PURPOSE = "batch_output";

    private final BatchStore store;
    private final FileStore files;
    private final OutputLinkSigner links;
    private final Duration fileExpiry;
    private final Clock clock = Clock.systemUTC();

    public BatchFinalizer(BatchStore store, FileStore files, OutputLinkSigner links, GatewayConfig config) {
        this.store = store;
        this.files = files;
        this.links = links;
        this.fileExpiry = config.files().defaultExpiry();
    }

    void finalizeBatch(String owner, String id, String target) {
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
        Assembly assembly = assemble(owner, record);
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
        Log.infof("Batch %s %s: %d lines, %d completed, %d failed", id, finished.map(BatchRecord::status).orElse("?"),
                record.engine().lines(), assembly.ok, assembly.failed);
    }

    private record Assembly(int ok, int failed, ObjectNode usage) {
    }

    private Assembly assemble(String owner, BatchRecord record) {
        BatchObject batch = record.batch();
        Map<Integer, String> results = new HashMap<>();
        for (String key : store.resultKeys(owner, batch.id())) {
            results.put(BatchStore.lineOf(key), key);
        }
        String missingCode = record.engine().finalStatus().equals(BatchStatus.CANCELLED) ? "batch_cancelled"
                : "batch_expired";
        String missingMessage = missingCode.equals("batch_cancelled") ? "The batch was cancelled before this line ran."
                : "The batch expired before this line ran.";
        FileStore.FileWriter output = files.write(owner, record.engine().outputFileId(), OUTPUT_PURPOSE,
                batch.id() + "_output.jsonl", fileExpiry);
        FileStore.FileWriter errors = files.write(owner, record.engine().errorFileId(), OUTPUT_PURPOSE,
                batch.id() + "_error.jsonl", fileExpiry);
        int[] counts = { 0, 0 };
        UsageSum usage = new UsageSum();
        try (InputStream content = lines(owner, record)) {
            if (content != null) {
                InputFileLines.forEach(content, line -> {
                    String key = results.get(line.number());
                    if (key == null) {
                        String customId = customIdOf(line.bytes());
                        errors.write(jsonLine(BatchRecord.JSON.valueToTree(new BatchResultLine(
                                "batch_req_" + UUID.randomUUID().toString().replace("-", ""), customId, null,
                                new BatchResultLine.Error(missingCode, missingMessage)))));
                        counts[1]++;
                        return;
                    }
                    ObjectNode result = readResult(key);
                    if (BatchStore.isOk(key)) {
                        JsonNode body = result.path("response").path("body");
                        resign(body);
                        usage.add(body.get("usage"));
                        output.write(jsonLine(result));
                        counts[0]++;
                    } else {
                        errors.write(jsonLine(result));
                        counts[1]++;
                    }
                });
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        finish(output, counts[0]);
        finish(errors, counts[1]);
        return new Assembly(counts[0], counts[1], usage.total());
    }

    private InputStream lines(String owner, BatchRecord record) {
        // A batch that never left validation has no lines to stream.
        return record.engine().lines() == 0 ? null : store.openInput(owner, record.batch().id());
    }

    private static void finish(FileStore.FileWriter writer, int lines) {
        if (lines > 0) {
            writer.finish();
        } else {
            writer.abort();
        }
    }

    /** Links expire; each item's key does not: every link is signed afresh for the output lifetime. */
    private void resign(JsonNode body) {
        for (JsonNode item : body.path("data")) {
            if (item.isObject() && item.hasNonNull("key") && item.has("url")) {
                ((ObjectNode) item).put("url", links.link(item.get("key").asText()).toString());
            }
        }
    }

    private ObjectNode readResult(String key) {
        try {
            return (ObjectNode) BatchRecord.JSON.readTree(store.read(key));
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

    /** Sums the numeric fields of the lines' {@code usage} objects, nested ones included. */
    static final class UsageSum {
        private ObjectNode total;

        void add(JsonNode usage) {
            if (usage == null || !usage.isObject()) {
                return;
            }
            if (total == null) {
                total = BatchRecord.JSON.createObjectNode();
            }
            add(total, (ObjectNode) usage);
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

        ObjectNode total() {
            return total;
        }
    }

}
