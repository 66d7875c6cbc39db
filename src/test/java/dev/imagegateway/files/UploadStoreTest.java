package dev.imagegateway.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegateway.error.StorageUnavailableException;
import dev.imagegateway.files.UploadStore.Stored;
import dev.imagegateway.storage.NewestFirstIds;
import dev.imagegateway.testsupport.S3TestServer;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Upload records change by conditional PUT only, against a real S3-compatible server: a lost race is told
 * from the SDK's retry of a write that had already landed.
 */
class UploadStoreTest {

    private static final String OWNER = "0123456789abcdef0123456789abcdef";

    private final S3TestServer server = new S3TestServer();
    private S3Client s3;
    private UploadStore store;

    @BeforeEach
    void start() {
        s3 = S3TestServer.clientFor(server.startServer());
        store = new UploadStore(s3, new ObjectMapper(), S3TestServer.BUCKET);
    }

    @AfterEach
    void stop() {
        s3.close();
        server.stop();
    }

    @Test
    void replace_withTheETagRead_wins_andWithAStaleOne_losesToAnotherWrite() {
        UploadRecord created = record(Upload.PENDING);
        store.create(OWNER, created);
        Stored read = store.find(OWNER, created.upload().id()).orElseThrow();

        boolean cancelled = store.replace(OWNER, record(created, Upload.CANCELLED), read.etag());
        boolean completed = store.replace(OWNER, record(created, Upload.COMPLETED), read.etag());

        assertThat(cancelled).isTrue();
        assertThat(completed).isFalse();
        assertThat(store.find(OWNER, created.upload().id()).orElseThrow().record().upload().status())
                .isEqualTo(Upload.CANCELLED);
    }

    @Test
    void aRetriedWrite_thatHadLanded_isNoLostRace() {
        UploadRecord created = record(Upload.PENDING);
        store.create(OWNER, created);
        Stored read = store.find(OWNER, created.upload().id()).orElseThrow();
        UploadRecord cancelled = record(created, Upload.CANCELLED);
        store.replace(OWNER, cancelled, read.etag());

        // What the SDK's second attempt does when the first one's answer was lost: the same write again.
        boolean again = store.replace(OWNER, cancelled, read.etag());

        assertThat(again).isTrue();
        assertThat(store.find(OWNER, created.upload().id()).orElseThrow().record()).isEqualTo(cancelled);
    }

    @Test
    void aRetriedCreate_thatHadLanded_isNoFailure_butAnotherRecordUnderItsIdIs() {
        UploadRecord created = record(Upload.PENDING);
        store.create(OWNER, created);

        store.create(OWNER, created);

        assertThatThrownBy(() -> store.create(OWNER, record(created, Upload.CANCELLED)))
                .isInstanceOf(StorageUnavailableException.class);
        assertThat(store.find(OWNER, created.upload().id()).orElseThrow().record()).isEqualTo(created);
    }

    @Test
    void anotherOwner_findsNoUpload_andMalformedIdsNone() {
        UploadRecord created = record(Upload.PENDING);
        store.create(OWNER, created);

        assertThat(store.find("fedcba9876543210fedcba9876543210", created.upload().id())).isEmpty();
        assertThat(store.find(OWNER, "../" + created.upload().id())).isEmpty();
        assertThat(store.find(OWNER, created.upload().id())).isPresent();
    }

    private static UploadRecord record(String status) {
        long now = Instant.now().getEpochSecond();
        return new UploadRecord(new Upload(NewestFirstIds.next(Upload.ID_PREFIX,
                Instant.now()), Upload.OBJECT, 10, now, now + 3600, "a.jsonl", "batch", status, null), "text/jsonl",
                3600);
    }

    private static UploadRecord record(UploadRecord of, String status) {
        return of.with(of.upload().withStatus(status, null));
    }
}
