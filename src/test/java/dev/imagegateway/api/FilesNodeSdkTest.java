package dev.imagegateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegateway.testsupport.FilesApi;
import dev.imagegateway.testsupport.Gateway;
import dev.imagegateway.testsupport.S3TestServer;
import dev.imagegateway.testsupport.UpstreamTestServer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official {@code openai} npm package follows the content's 307 to the bucket and reads the exact
 * bytes, and creates a batch file. It needs Node.js and the package from the npm registry: where either
 * is missing the test is skipped, saying so, rather than failing a build that has no Node.
 */
@QuarkusTest
@WithTestResource(S3TestServer.class)
@WithTestResource(UpstreamTestServer.class)
class FilesNodeSdkTest {

    /** The newest release that still runs on Node.js 20 (7.x needs 22). */
    private static final String PACKAGE = "openai@6.49.0";
    private static final Path SDK_DIR = Path.of("target", "node-sdk");

    @TempDir
    Path dir;

    @Test
    void nodeSdk_followsTheRedirect_forTheExactBytes_andCreatesABatchFile() throws Exception {
        Path script = installedSdk();
        FilesApi caller = FilesApi.as(Gateway.CALLER_KEY);
        byte[] content = new byte[5_000_000];
        new Random(11).nextBytes(content);
        String uploadId = caller.createUpload("{\"filename\":\"big.jsonl\",\"purpose\":\"batch\",\"bytes\":"
                + content.length + ",\"mime_type\":\"text/jsonl\"}").jsonPath().getString("id");
        String first = caller.addPart(uploadId, Arrays.copyOfRange(content, 0, 2_500_000)).jsonPath().getString("id");
        String second = caller.addPart(uploadId, Arrays.copyOfRange(content, 2_500_000, content.length)).jsonPath()
                .getString("id");
        String fileId = caller.complete(uploadId, "{\"part_ids\":[\"" + first + "\",\"" + second + "\"]}").jsonPath()
                .getString("file.id");
        Path jsonl = Files.writeString(dir.resolve("from-node.jsonl"), "{\"custom_id\":\"n\"}\n");
        Path out = dir.resolve("content.bin");

        Process node = new ProcessBuilder("node", script.toAbsolutePath().toString(),
                "http://localhost:" + RestAssured.port + "/v1", Gateway.CALLER_KEY, fileId, out.toString(),
                jsonl.toString()).redirectErrorStream(true).start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(node.exitValue()).as(output).isZero();
        assertThat(caller.content(fileId).statusCode()).isEqualTo(307);
        assertThat(Files.readAllBytes(out)).isEqualTo(content);
        JsonNode created = new ObjectMapper().readTree(output);
        assertThat(created.path("purpose").asText()).isEqualTo("batch");
        assertThat(created.path("filename").asText()).isEqualTo("from-node.jsonl");
        assertThat(caller.content(created.path("id").asText()).asString()).isEqualTo("{\"custom_id\":\"n\"}\n");
    }

    /** The script next to an installed {@code openai} package (ES modules resolve from the script's place). */
    private static Path installedSdk() throws IOException, InterruptedException {
        assumeTrue(runs(List.of("node", "--version"), Path.of(".")), "Node.js is not on the PATH");
        Files.createDirectories(SDK_DIR);
        if (!Files.isDirectory(SDK_DIR.resolve("node_modules/openai"))) {
            assumeTrue(runs(List.of("npm", "install", "--no-audit", "--no-fund", "--no-save", PACKAGE), SDK_DIR),
                    "npm could not install " + PACKAGE);
        }
        Path script = SDK_DIR.resolve("files-sdk.mjs");
        try (InputStream source = FilesNodeSdkTest.class.getResourceAsStream("/node/files-sdk.mjs")) {
            Files.copy(source, script, StandardCopyOption.REPLACE_EXISTING);
        }
        return script;
    }

    private static boolean runs(List<String> command, Path directory) throws InterruptedException {
        try {
            Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(180, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
