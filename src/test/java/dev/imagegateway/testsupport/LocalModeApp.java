package dev.imagegateway.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The quick start's run command ({@link QuickStart#RUN_COMMAND}, {@code ./mvnw quarkus:dev -Plocal}) as a
 * child process, on free ports and with its own build and data directories, so it neither collides
 * with a dev session the developer has open nor leaves anything behind. Ready means the "started in" line: before it, the mock
 * event
 * server already answers, with 500s.
 */
public final class LocalModeApp implements AutoCloseable {

    private static final String READY = "started in";
    /** Dev mode does not exit when the application fails to start; it waits for a fix and says this. */
    private static final String FAILED = "recover from previous Quarkus startup failure";

    public final int gatewayPort;
    public final int storePort;
    public final int demoPort;
    public final Path dataDir;
    public final Duration startUp;

    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final Thread shutdownHook;

    private LocalModeApp(List<String> command, Path workDir, Duration timeout) throws IOException, InterruptedException {
        gatewayPort = freePort();
        storePort = freePort();
        demoPort = freePort();
        dataDir = workDir.resolve("data");
        Files.createDirectories(workDir);
        Path log = workDir.resolve("app.log");

        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        // The developer's own settings must not turn the demo or the embedded store off in this test.
        env.keySet().removeIf(name -> name.startsWith("IMAGES_") || name.startsWith("LOCAL_"));
        env.put("QUARKUS_LAMBDA_MOCK_EVENT_SERVER_DEV_PORT", String.valueOf(gatewayPort));
        env.put("LOCAL_STORE_PORT", String.valueOf(storePort));
        env.put("LOCAL_DEMO_PORT", String.valueOf(demoPort));
        env.put("LOCAL_DATA_DIR", dataDir.toString());

        long started = System.nanoTime();
        process = builder.start();
        process.getOutputStream().close(); // no console input: dev mode's keyboard commands stay idle
        shutdownHook = new Thread(this::stop, "stop local-mode app");
        Runtime.getRuntime().addShutdownHook(shutdownHook); // also when the test JVM is cut short

        CountDownLatch ready = new CountDownLatch(1);
        Thread pump = new Thread(() -> pump(log, ready), "local-mode app output");
        pump.setDaemon(true);
        pump.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready.await(200, TimeUnit.MILLISECONDS)) {
            String problem = !process.isAlive() ? "Maven exited"
                    : output.indexOf(FAILED) >= 0 ? "Quarkus failed to start"
                            : System.nanoTime() > deadline ? "no \"" + READY + "\" line after " + timeout
                                    : null;
            if (problem != null) {
                close();
                throw new AssertionError("local mode did not start: " + problem + "; see " + log
                        + ". Last output:\n" + tail(4000));
            }
        }
        startUp = Duration.ofNanos(System.nanoTime() - started);
    }

    /**
     * Runs {@code runCommand} from {@code projectDir}, plus what a test needs on top: batch mode, no
     * debugger port, no analytics question, and a build directory of its own under {@code workDir}.
     */
    public static LocalModeApp start(Path projectDir, List<String> runCommand, Path workDir, Duration timeout) {
        List<String> command = new ArrayList<>(runCommand);
        command.set(0, projectDir.resolve(runCommand.get(0)).toString());
        command.addAll(List.of("-B", "-Ddebug=false", "-Dquarkus.analytics.disabled=true",
                "-DlocalBuildDirectory=" + workDir.resolve("build")));
        String repository = System.getProperty("maven.repo.local");
        if (repository != null && !repository.isBlank()) {
            command.add("-Dmaven.repo.local=" + repository);
        }
        try {
            return new LocalModeApp(command, workDir, timeout);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    public String output() {
        return output.toString();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + gatewayPort;
    }

    /** Whether Maven and the dev-mode JVM it forked are all gone. */
    public boolean stopped() {
        return !process.isAlive() && process.descendants().noneMatch(ProcessHandle::isAlive);
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running this very stop
        }
    }

    /** SIGTERM lets Maven stop the dev JVM cleanly; whatever still runs after 20 s is killed. */
    private void stop() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            for (ProcessHandle child : children) {
                child.onExit().get(10, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }

    private void pump(Path log, CountDownLatch ready) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)); PrintWriter file = new PrintWriter(Files.newBufferedWriter(log))) {
            String line;
            while ((line = reader.readLine()) != null) {
                output.append(line).append('\n');
                file.println(line);
                file.flush();
                if (line.contains(READY)) {
                    ready.countDown();
                }
            }
        } catch (IOException e) {
            output.append("[output lost: ").append(e).append("]\n");
        }
    }

    private String tail(int chars) {
        String all = output.toString();
        return all.length() <= chars ? all : all.substring(all.length() - chars);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
