package dev.imagegateway.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegateway.error.InvalidRequestException;
import dev.imagegateway.testsupport.S3TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/** An upload not completed within an hour of its creation is expired, as OpenAI's are, and takes nothing more. */
class UploadsExpiryTest {

    private static final String OWNER = "0123456789abcdef0123456789abcdef";
    private static final Instant CREATED = Instant.parse("2026-12-01T10:00:00Z");

    private final S3TestServer server = new S3TestServer();
    private final MovableClock clock = new MovableClock(CREATED);
    private S3Client s3;
    private Uploads uploads;
    private UploadCompletion completion;

    @BeforeEach
    void start() {
        s3 = S3TestServer.clientFor(server.startServer());
        ObjectMapper mapper = new ObjectMapper();
        UploadStore store = new UploadStore(s3, mapper, S3TestServer.BUCKET);
        uploads = new Uploads(store, new FileRules(Duration.ofDays(30)), clock);
        completion = new UploadCompletion(uploads, store,
                new FileStore(s3, null, mapper, S3TestServer.BUCKET, clock));
    }

    @AfterEach
    void stop() {
        s3.close();
        server.stop();
    }

    @Test
    void anHourAfterCreation_theUploadIsExpired_andTakesNoPartCompleteOrCancel() throws Exception {
        Path content = Files.createTempFile("part", ".bin");
        Files.write(content, "{}\n".getBytes());
        Upload upload = uploads.create(OWNER, "a.jsonl", "batch", 3, "text/jsonl", Duration.ofDays(30));
        UploadPart part = uploads.addPart(OWNER, upload.id(), content);

        clock.set(CREATED.plus(Duration.ofHours(1)));

        assertThat(upload.expiresAt()).isEqualTo(CREATED.plus(Duration.ofHours(1)).getEpochSecond());
        assertExpired(() -> uploads.addPart(OWNER, upload.id(), content));
        assertExpired(() -> completion.complete(OWNER, upload.id(), List.of(part.id()), null));
        assertExpired(() -> uploads.cancel(OWNER, upload.id()));
        Files.delete(content);
    }

    @Test
    void justBeforeTheHour_theUploadStillCompletes() throws Exception {
        Path content = Files.createTempFile("part", ".bin");
        Files.write(content, "{}\n".getBytes());
        Upload upload = uploads.create(OWNER, "a.jsonl", "batch", 3, "text/jsonl", Duration.ofDays(30));
        UploadPart part = uploads.addPart(OWNER, upload.id(), content);

        clock.set(CREATED.plus(Duration.ofMinutes(59)));
        Upload completed = completion.complete(OWNER, upload.id(), List.of(part.id()), null);

        assertThat(completed.status()).isEqualTo(Upload.COMPLETED);
        assertThat(completed.file().expiresAt())
                .isEqualTo(CREATED.plus(Duration.ofMinutes(59)).plus(Duration.ofDays(30)).getEpochSecond());
        Files.delete(content);
    }

    private static void assertExpired(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(InvalidRequestException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.getMessage()).contains("it is expired", "within an hour");
        });
    }

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
