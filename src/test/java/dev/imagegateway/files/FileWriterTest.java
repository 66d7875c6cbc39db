package dev.imagegateway.files;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegateway.testsupport.S3TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/** The file writer's parts, against a real S3-compatible server that checks each part's ETag. */
class FileWriterTest {

    private static final String OWNER = "0123456789abcdef0123456789abcdef";
    /** S3's smallest part but the last, which the test server enforces as S3 does. */
    private static final int PART = 5 * 1024 * 1024;

    private final S3TestServer server = new S3TestServer();
    private S3Client s3;
    private FileStore files;

    @BeforeEach
    void start() {
        s3 = S3TestServer.clientFor(server.startServer());
        files = new FileStore(s3, null, new ObjectMapper(), S3TestServer.BUCKET, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        s3.close();
        server.stop();
    }

    @Test
    void uploadResumedFromItsPartsByAnotherWriter_readsBackWhole_andItsPartsEndBetweenLines() throws IOException {
        String id = files.newId();
        FileStore.FileWriter first = files.write(OWNER, id, "batch_output", "out.jsonl", null, PART);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        long[] atPart = { 0 };
        int line = 0;
        while (first.partETags().size() < 3) {
            byte[] bytes = line(line++);
            first.write(bytes);
            expected.write(bytes);
            if (first.uploadedBytes() > atPart[0]) {
                atPart[0] = first.uploadedBytes();
                assertThat(first.uploadedBytes()).isEqualTo(expected.size());
            }
        }
        // Written after the last part: lost with the first writer, written again by the second.
        first.write(line(line));
        String uploadId = first.uploadId();
        List<String> parts = first.partETags();

        FileStore.FileWriter second = files.write(OWNER, id, "batch_output", "out.jsonl", null, PART);
        second.resume(uploadId, parts, first.uploadedBytes());
        for (int i = line; i < line + 20; i++) {
            second.write(line(i));
            expected.write(line(i));
        }
        FileObject file = second.finish();

        assertThat(file.bytes()).isEqualTo(expected.size());
        assertThat(read(id)).isEqualTo(expected.toByteArray());
    }

    @Test
    void abortOfAWriterOfAnIdAnotherWriterFinished_leavesTheFinishedContent() throws IOException {
        String id = files.newId();
        FileStore.FileWriter late = files.write(OWNER, id, "batch_output", "out.jsonl", null, PART);
        for (int i = 0; i < 100; i++) {
            late.write(line(i));
        }
        FileStore.FileWriter done = files.write(OWNER, id, "batch_output", "out.jsonl", null, PART);
        done.write(line(0));
        done.finish();

        late.abort();

        assertThat(read(id)).isEqualTo(line(0));
        assertThat(files.find(OWNER, id)).isPresent();
    }

    private byte[] read(String id) throws IOException {
        try (InputStream in = files.open(OWNER, id)) {
            return in.readAllBytes();
        }
    }

    private static byte[] line(int n) {
        return ("{\"line\":" + n + ",\"pad\":\"" + "x".repeat(64 * 1024) + "\"}\n").getBytes(StandardCharsets.UTF_8);
    }
}
