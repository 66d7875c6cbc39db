package dev.imagegateway.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
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
    /** A writer whose answer was lost on the way back: its write may or may not have been stored. */
    private static final int ANSWER_LOST = -1;

    private final S3TestServer server = new S3TestServer();
    private S3Client s3;
    /**
     * The racing writers' client, without SDK retries: the server is under test, not the SDK. The server
     * may answer a PUT (stored, or refused before its body was read) while the client still sends the
     * body, so a client can see its answer lost after its write landed; a retry then gets a 412 for its
     * own write, which real S3 can do too (the batch engine recognises its own write there), but which
     * would hide here which writer won.
     */
    private S3Client racers;
    private ExecutorService writers;

    @BeforeEach
    void start() {
        URI endpoint = server.startServer();
        s3 = S3TestServer.clientFor(endpoint);
        racers = S3TestServer.clientBuilderFor(endpoint)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
        writers = Executors.newFixedThreadPool(WRITERS);
    }

    @AfterEach
    void stop() {
        writers.shutdownNow();
        racers.close();
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
                String body = body(round, w);
                statuses.add(writers.submit(() -> {
                    go.await();
                    try {
                        racers.putObject(put -> put.bucket(S3TestServer.BUCKET).key(KEY).ifMatch(expected),
                                RequestBody.fromString(body));
                        return 200;
                    } catch (S3Exception e) {
                        return e.statusCode();
                    } catch (SdkClientException e) {
                        return ANSWER_LOST;
                    }
                }));
            }
            go.countDown();
            List<Integer> answered = new ArrayList<>();
            for (Future<Integer> status : statuses) {
                answered.add(status.get());
            }
            String stored = s3.getObjectAsBytes(get -> get.bucket(S3TestServer.BUCKET).key(KEY)).asUtf8String();
            assertThat(answered).as("round %d", round).isSubsetOf(200, 412, ANSWER_LOST);
            assertThat(answered).as("round %d: at most one writer is told it won", round).filteredOn(status -> status == 200)
                    .hasSizeLessThanOrEqualTo(1);
            int winner = answered.indexOf(200);
            if (winner >= 0) {
                assertThat(stored).as("round %d: the winner's write is the one stored", round)
                        .isEqualTo(body(round, winner));
            } else {
                // Nobody was told: the one stored is a writer whose answer was lost, never one told 412.
                int storedWriter = writerOf(round, stored);
                assertThat(answered.get(storedWriter)).as("round %d: %s", round, stored).isEqualTo(ANSWER_LOST);
            }
            etag = s3.headObject(head -> head.bucket(S3TestServer.BUCKET).key(KEY)).eTag();
            assertThat(etag).as("round %d: this round's write replaced the last one", round).isNotEqualTo(expected);
        }
    }

    private static String body(int round, int writer) {
        return "round " + round + " writer " + writer;
    }

    private static int writerOf(int round, String stored) {
        String prefix = "round " + round + " writer ";
        assertThat(stored).as("written in round %d", round).startsWith(prefix);
        return Integer.parseInt(stored.substring(prefix.length()));
    }

    @Test
    void ifMatchOnAKeyThatDoesNotExist_is404_asOnS3() {
        assertThatThrownBy(() -> s3.putObject(put -> put.bucket(S3TestServer.BUCKET).key("absent.json")
                .ifMatch("\"0123456789abcdef0123456789abcdef\""), RequestBody.fromString("x")))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
        assertThat(s3.listObjectsV2(list -> list.bucket(S3TestServer.BUCKET)).keyCount()).isZero();
    }
}
