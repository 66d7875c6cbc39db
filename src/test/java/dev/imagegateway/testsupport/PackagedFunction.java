package dev.imagegateway.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * {@code target/function.zip} run as AWS's Java runtime runs it: unzipped as the task root, a separate
 * JVM running AWS's runtime interface client (copied to {@code target/lambda-runtime/} by the build)
 * with the handler named in {@code template.yaml}, polling the given Lambda Runtime API.
 */
public final class PackagedFunction implements AutoCloseable {

    public static final Path TARGET = Path.of("target");
    public static final Path ZIP = TARGET.resolve("function.zip");
    /**
     * As AWS's Java runtimes launch the JVM: the JIT stopped at C1 (it starts faster), and
     * {@code org.crac} pointed at the runtime interface client's CRaC context, which calls the
     * {@code beforeCheckpoint} hooks only when initialising for a SnapStart snapshot.
     */
    public static final List<String> LAMBDA_JVM_OPTIONS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
            "-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac");

    private final Process process;
    private final long launchedAtNanos;

    private PackagedFunction(Process process, long launchedAtNanos) {
        this.process = process;
        this.launchedAtNanos = launchedAtNanos;
    }

    /**
     * Starts the function in {@code taskRoot} (see {@link #unzip}) with the JVM options and the
     * function's own environment ({@code IMAGES_*}, AWS credentials); what the Lambda service sets
     * besides is added here. Its output goes to {@code log}.
     */
    public static PackagedFunction start(Path taskRoot, LambdaRuntimeApi runtime, List<String> jvmOptions,
            Map<String, String> environment, Path log) throws IOException {
        return start(taskRoot, handlerInTemplate(), runtime, jvmOptions, environment, log);
    }

    /** As {@link #start(Path, LambdaRuntimeApi, List, Map, Path)}, for another function's {@code handler}. */
    public static PackagedFunction start(Path taskRoot, String handler, LambdaRuntimeApi runtime,
            List<String> jvmOptions, Map<String, String> environment, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(TARGET.resolve("lambda-runtime").toAbsolutePath() + "/*");
        command.add("com.amazonaws.services.lambda.runtime.api.client.AWSLambda");
        command.add(handler);
        ProcessBuilder builder = new ProcessBuilder(command).directory(taskRoot.toFile());
        Map<String, String> env = builder.environment();
        env.put("AWS_LAMBDA_RUNTIME_API", runtime.address());
        env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
        env.put("AWS_LAMBDA_FUNCTION_NAME", "image-gateway");
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "1");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_" + runtimeInTemplate());
        // An on-demand initialisation, as without SnapStart (or a snapshot's own is "snap-start").
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        env.putAll(environment);
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        long launchedAt = System.nanoTime();
        return new PackagedFunction(builder.start(), launchedAt);
    }

    /** When the process was launched (System.nanoTime). */
    public long launchedAtNanos() {
        return launchedAtNanos;
    }

    /** The process id, for tools that attach to it. */
    public long pid() {
        return process.pid();
    }

    /** The handler the template gives Lambda, {@code class::method}. */
    public static String handlerInTemplate() throws IOException {
        JsonNode template = new YAMLMapper().readTree(Path.of("template.yaml").toFile());
        return template.at("/Globals/Function/Handler").asText();
    }

    /** The managed runtime the template names ({@code java21}). */
    public static String runtimeInTemplate() throws IOException {
        JsonNode template = new YAMLMapper().readTree(Path.of("template.yaml").toFile());
        return template.at("/Globals/Function/Runtime").asText();
    }

    /** Unzips {@code zip} into an emptied {@code into}, as Lambda unpacks the artifact into the task root. */
    public static Path unzip(Path zip, Path into) throws IOException {
        if (Files.exists(into)) {
            try (Stream<Path> old = Files.walk(into)) {
                old.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        Files.createDirectories(into);
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                Path target = into.resolve(entry.getName()).normalize();
                if (!target.startsWith(into)) {
                    throw new IOException("zip entry outside the target: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return into.toAbsolutePath();
    }

    /** Stops the process, forcibly if it does not end within 10 seconds. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
