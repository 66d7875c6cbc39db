package dev.imagegateway.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code target/benchmark.json} and the table printed from it. Each benchmark class adds its section
 * (they run in separate JVMs); sections of an earlier run ({@code benchmark.run}, set by the Maven
 * profile) are dropped, and the table is printed again with what is there so far, so the last class
 * prints the whole of it.
 */
final class BenchmarkReport {

    static final Path FILE = Path.of("target", "benchmark.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    private BenchmarkReport() {
    }

    /** Machine facts at the start of a benchmark: cores, JVM, load average. */
    static ObjectNode machine() {
        ObjectNode machine = JSON.createObjectNode();
        machine.put("available_processors", Runtime.getRuntime().availableProcessors());
        machine.put("nproc", command("nproc"));
        machine.put("cpu", firstLine(Path.of("/proc/cpuinfo"), "model name"));
        machine.put("memory", firstLine(Path.of("/proc/meminfo"), "MemTotal"));
        machine.put("load_average_at_start", read(Path.of("/proc/loadavg")));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        machine.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        machine.put("jvm_arguments", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        return machine;
    }

    /** Adds (or replaces) one section of this run, then prints the table. */
    static synchronized void record(String section, JsonNode figures) {
        try {
            String run = System.getProperty("benchmark.run", "ad-hoc");
            ObjectNode report = JSON.createObjectNode();
            if (Files.exists(FILE)) {
                JsonNode old = JSON.readTree(FILE.toFile());
                if (old instanceof ObjectNode previous && run.equals(previous.path("run").asText())) {
                    report = previous;
                }
            }
            report.put("run", run);
            report.put("updated_at", Instant.now().toString());
            report.set(section, figures);
            report.set("results", results(report));
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, report.toPrettyString() + "\n");
            System.out.println(table(report));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One row per figure: what was measured, the target, and whether it is met. */
    private static ArrayNode results(JsonNode report) {
        ArrayNode rows = JSON.createArrayNode();
        JsonNode overhead = report.path("gateway_overhead").path("cases");
        for (String mode : List.of("b64_json", "url")) {
            JsonNode one = find(overhead, mode, 1);
            JsonNode ten = find(overhead, mode, 10);
            double limit = mode.equals("b64_json") ? 0.5 : 2.0;
            if (one != null) {
                double p50 = one.path("overhead_ms").path("p50").asDouble();
                row(rows, "overhead p50, " + mode + " n=1", ms(p50) + straight(one), "<= " + ms(limit), p50 <= limit);
                row(rows, "overhead p99, " + mode + " n=1", ms(one.path("overhead_ms").path("p99").asDouble()),
                        "-", null);
            }
            if (ten != null) {
                double p50 = ten.path("overhead_ms").path("p50").asDouble();
                if (ten.path("status").asInt() != 200) {
                    row(rows, "overhead p50, " + mode + " n=10", ms(p50) + " (status " + ten.path("status").asInt()
                            + ")", "-", null);
                } else if (one != null) {
                    double ratio = p50 / one.path("overhead_ms").path("p50").asDouble();
                    row(rows, "overhead p50, " + mode + " n=10", String.format(Locale.ROOT, "%s (%.1fx n=1)%s",
                            ms(p50), ratio, straight(ten)), "<= 3x n=1", ratio <= 3.0);
                }
                row(rows, "overhead p99, " + mode + " n=10", ms(ten.path("overhead_ms").path("p99").asDouble()),
                        "-", null);
            }
        }
        for (JsonNode fixed : report.path("gateway_overhead").path("fixed_cost")) {
            if (fixed.has("route")) {
                row(rows, "handler p50, " + fixed.path("route").asText() + " (no upstream, no S3)",
                        ms(fixed.path("handler_ms").path("p50").asDouble()), "-", null);
            } else {
                row(rows, "overhead p50, " + fixed.path("response_format").asText() + " n=1, a 1x1 image",
                        ms(fixed.path("overhead_ms").path("p50").asDouble()) + straight(fixed), "-", null);
            }
        }
        JsonNode batch = report.path("batch_engine");
        if (!batch.isMissingNode()) {
            JsonNode enqueue = batch.path("enqueue");
            double seconds = enqueue.path("seconds").asDouble();
            row(rows, "batch: validate + enqueue 50,000 lines", String.format(Locale.ROOT,
                    "%.1f s, heap +%.0f MB used, +%.0f MB live (%.0f MB of it the in-JVM queue's messages)", seconds,
                    enqueue.path("peak_heap_above_baseline_bytes").asLong() / 1e6,
                    enqueue.path("peak_live_after_gc_bytes").asLong() / 1e6,
                    enqueue.path("retained_after_gc_bytes").asLong() / 1e6), "< 60 s", seconds < 60);
            for (String concurrency : List.of("concurrency_1", "concurrency_4")) {
                JsonNode worker = batch.path("worker").path(concurrency);
                row(rows, "batch worker, " + concurrency.replace('_', ' '), String.format(Locale.ROOT,
                        "%.1f lines/s, %.1f ms a line per worker", worker.path("lines_per_second").asDouble(),
                        worker.path("ms_per_line_per_worker").asDouble()), "per line <= HTTP route's overhead", null);
            }
        }
        JsonNode edit = report.path("edit_overhead");
        if (!edit.isMissingNode()) {
            row(rows, "overhead p50, multipart edit, two 1 MB inputs", String.format(Locale.ROOT, "%s (inputs %.2f MB each)",
                    ms(edit.path("overhead_p50_ms").asDouble()), edit.path("input_bytes_each").asLong() / 1e6), "-", null);
        }
        JsonNode heap = report.path("peak_heap");
        if (!heap.isMissingNode()) {
            double ratio = heap.path("peak_live_to_decoded").asDouble();
            row(rows, "peak heap, n=10 x 4 MB url", String.format(Locale.ROOT, "%.1f MB = %.2fx decoded %.1f MB",
                    heap.path("peak_live_heap_bytes").asLong() / 1e6, ratio,
                    heap.path("decoded_bytes").asLong() / 1e6), "<= 1.5x decoded", ratio <= 1.5);
        }
        JsonNode cold = report.path("cold_start");
        if (!cold.isMissingNode()) {
            JsonNode empty = cold.path("empty_app");
            for (String variant : List.of("empty_app", "on_demand", "restored", "on_demand_appcds")) {
                JsonNode runs = cold.path(variant);
                if (runs.isMissingNode()) {
                    continue;
                }
                String measured = String.format(Locale.ROOT,
                        "%.0f ms = first poll %.0f + first invocation %.0f (medians of %d)",
                        runs.path("median_ms").asDouble(), runs.path("first_poll_median_ms").asDouble(),
                        runs.path("first_invocation_median_ms").asDouble(), runs.path("runs_ms").size());
                if (variant.equals("on_demand") && !empty.isMissingNode()) {
                    double ratio = cold.path("on_demand_to_empty_app_median").asDouble();
                    row(rows, "start to first answer, on demand", measured + String.format(Locale.ROOT,
                            "; %.2fx the empty app", ratio), "<= 1.0x the empty app", ratio <= 1.0);
                } else if (variant.equals("on_demand_appcds")) {
                    row(rows, "start to first answer, on demand, with an AppCDS archive (not on Lambda's runtime)",
                            measured + String.format(Locale.ROOT, "; %.2fx the empty app",
                                    cold.path("on_demand_appcds_to_empty_app_median").asDouble()),
                            "-", null);
                } else if (variant.equals("restored")) {
                    double first = runs.path("first_invocation_median_ms").asDouble();
                    row(rows, "first invocation after a simulated restore", measured, "<= 100 ms", first <= 100);
                } else {
                    row(rows, "start to first answer, " + variant.replace('_', ' '), measured, "-", null);
                }
            }
            row(rows, "function.zip", String.format(Locale.ROOT, "%.1f MB (the empty app's %.1f MB)",
                    cold.path("function_zip_bytes").asLong() / 1e6, cold.path("empty_app_function_zip_bytes").asLong() / 1e6),
                    "-", null);
        }
        return rows;
    }

    /** The overhead as a multiple of the same request sent straight to the upstream in the same run. */
    private static String straight(JsonNode c) {
        JsonNode straight = c.path("straight_to_upstream_ms").path("p50");
        return straight.isMissingNode() ? ""
                : String.format(Locale.ROOT, "; %.2fx straight to upstream (%s)",
                        c.path("overhead_p50_to_straight_p50").asDouble(), ms(straight.asDouble()));
    }

    private static JsonNode find(JsonNode cases, String mode, int n) {
        for (JsonNode c : cases) {
            if (c.path("response_format").asText().equals(mode) && c.path("n").asInt() == n) {
                return c;
            }
        }
        return null;
    }

    private static void row(ArrayNode rows, String figure, String measured, String target, Boolean met) {
        rows.addObject().put("figure", figure).put("measured", measured).put("target", target)
                .put("result", met == null ? "-" : met ? "pass" : "miss");
    }

    private static String ms(double millis) {
        return String.format(Locale.ROOT, "%.3f ms", millis);
    }

    static String table(JsonNode report) {
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[] { "figure", "measured", "target", "result" });
        for (JsonNode row : report.path("results")) {
            lines.add(new String[] { row.path("figure").asText(), row.path("measured").asText(),
                    row.path("target").asText(), row.path("result").asText() });
        }
        int[] widths = new int[4];
        for (String[] line : lines) {
            for (int i = 0; i < 4; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        StringBuilder out = new StringBuilder("\nBenchmark (" + FILE + ", run " + report.path("run").asText() + ")\n");
        for (String section : List.of("gateway_overhead", "cold_start", "peak_heap")) {
            JsonNode machine = report.path(section).path("machine");
            if (!machine.isMissingNode()) {
                out.append(String.format("%s: %s cores (nproc %s), %s, load average at start %s%n", section,
                        machine.path("available_processors").asText(), machine.path("nproc").asText(),
                        machine.path("jvm").asText(), machine.path("load_average_at_start").asText()));
            }
        }
        for (int l = 0; l < lines.size(); l++) {
            String[] line = lines.get(l);
            out.append("| ");
            for (int i = 0; i < 4; i++) {
                out.append(String.format("%-" + widths[i] + "s | ", line[i]));
            }
            out.setLength(out.length() - 1);
            out.append('\n');
            if (l == 0) {
                out.append("|");
                for (int width : widths) {
                    out.append("-".repeat(width + 2)).append("|");
                }
                out.append('\n');
            }
        }
        return out.toString();
    }

    /** Percentile by nearest rank over sorted values. */
    static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static String command(String name) {
        try {
            Process process = new ProcessBuilder(name).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes()).strip();
            process.waitFor(5, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "unavailable";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unavailable";
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            return "unavailable";
        }
    }

    private static String firstLine(Path file, String prefix) {
        try {
            return Files.readAllLines(file).stream().filter(line -> line.startsWith(prefix))
                    .map(line -> line.substring(line.indexOf(':') + 1).strip()).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unavailable";
        }
    }
}
