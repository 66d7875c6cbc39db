package dev.imagegateway.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The test S3 server keeps S3's promise that the batch engine's conditional updates rely on: of writers
 * that hold the same ETag, exactly one wins. Without it, two concurrent finalizers of a batch both won.
 */
class S3TestServerTest {

    private static final String KEY = "record.json";
    private static final int WRITERS = 8;
    private static final int ROUNDS = 25;

    private final S3TestServer server = new S3TestServer();
    private S3Client s3;
    private ExecutorService writers;

    @BeforeEach
    void start() {
        s3 = S3TestServer.clientFor(server.startServer());
        writers = Executors.newFixedThreadPool(WRITERS);
    }

    @AfterEach
    void stop() {
        writers.shutdownNow();
        s3.close();
        server.stop();
    }

    @Test
    void writersWithTheSameIfMatch_exactlyOneWins_theOthersGet412_eachRound() throws Exception {
        String etag = s3.putObject(put -> put.bucket(S3TestServer.BUCKET).key(KEY), RequestBody.fromString("v0"))
                .eTag();
        for (int round = 1; round <= ROUNDS; round++) {
            String expected = etag;
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                String body = "round " + round + " writer " + w;
                statuses.add(writers.submit(() -> {
                    go.await();
                    try {
                        s3.putObject(put -> put.bucket(S3TestServer.BUCKET).key(KEY).ifMatch(expected),
                                RequestBody.fromString(body));
                        return 200;
                    } catch (S3Exception e) {
                        return e.statusCode();
                    }
                }));
            }
            go.countDown();
            List<Integer> answered = new ArrayList<>();
            for (Future<Integer> status : statuses) {
                answered.add(status.get());
            }
            assertThat(answered).as("round %d", round).containsOnly(200, 412).containsOnlyOnce(200);
            etag = s3.headObject(head -> head.bucket(S3TestServer.BUCKET).key(KEY)).eTag();
            assertThat(etag).as("round %d: the winner's write is the one stored", round).isNotEqualTo(expected);
        }
    }

    @Test
    void ifMatchOnAKeyThatDoesNotExist_is404_asOnS3() {
        assertThatThrownBy(() -> s3.putObject(put -> put.bucket(S3TestServer.BUCKET).key("absent.json")
                .ifMatch("\"0123456789abcdef0123456789abcdef\""), RequestBody.fromString("x")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
        assertThat(s3.listObjectsV2(list -> list.bucket(S3TestServer.BUCKET)).keyCount()).isZero();
    }
}
