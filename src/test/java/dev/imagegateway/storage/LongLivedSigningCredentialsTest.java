package dev.imagegateway.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imagegateway.error.StorageUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

class LongLivedSigningCredentialsTest {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private static final Duration TTL = Duration.ofMinutes(60);
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    private static AwsCredentials expiringIn(Duration left, String id) {
        return AwsSessionCredentials.builder().accessKeyId(id).secretAccessKey("s").sessionToken("t")
                .expirationTime(NOW.plus(left)).build();
    }

    /** Hands out the given providers one per call, and counts the calls. */
    private static final class Sources implements java.util.function.Supplier<AwsCredentialsProvider> {
        private final Deque<AwsCredentials> queue;
        int made;

        Sources(AwsCredentials... credentials) {
            this.queue = new ArrayDeque<>(List.of(credentials));
        }

        @Override
        public AwsCredentialsProvider get() {
            made++;
            AwsCredentials next = queue.size() > 1 ? queue.poll() : queue.peek();
            return () -> next;
        }
    }

    @Test
    void longTermKeys_haveNoExpiry_andAlwaysSign() {
        Sources sources = new Sources(AwsBasicCredentials.create("AKIDLONGTERM", "secret"));
        var signing = new LongLivedSigningCredentials(sources, TTL, clock);
        assertThat(signing.resolveCredentials().accessKeyId()).isEqualTo("AKIDLONGTERM");
        assertThat(signing.resolveCredentials().accessKeyId()).isEqualTo("AKIDLONGTERM");
        assertThat(sources.made).isEqualTo(1);
    }

    @Test
    void temporaryCredentialsThatOutliveTheUrl_areUsedAsTheyAre() {
        Sources sources = new Sources(expiringIn(Duration.ofHours(6), "six-hours"));
        var signing = new LongLivedSigningCredentials(sources, TTL, clock);
        assertThat(signing.resolveCredentials().accessKeyId()).isEqualTo("six-hours");
        assertThat(sources.made).isEqualTo(1);
    }

    @Test
    void credentialsDyingBeforeTheUrl_areReplacedByFreshOnes() {
        Sources sources = new Sources(expiringIn(Duration.ofMinutes(45), "short"),
                expiringIn(Duration.ofHours(1).plusMinutes(30), "fresh"));
        var signing = new LongLivedSigningCredentials(sources, TTL, clock);
        assertThat(signing.resolveCredentials().accessKeyId()).isEqualTo("fresh");
        assertThat(signing.resolveCredentials().accessKeyId()).isEqualTo("fresh");
        assertThat(sources.made).isEqualTo(2);
    }

    @Test
    void credentialsWithExactlyTheTtlLeft_areNotEnough_becauseOfClockSkew() {
        Sources sources = new Sources(expiringIn(TTL, "exact"), expiringIn(TTL.plus(Duration.ofMinutes(1)), "barely"));
        var signing = new LongLivedSigningCredentials(sources, TTL, clock);
        assertThatThrownBy(signing::resolveCredentials).isInstanceOf(StorageUnavailableException.class)
                .hasMessageContaining("60 minutes");
    }

    @Test
    void shortSources_areAskedAgainAtMostOnceAMinute_notOnEveryRequest() {
        Sources sources = new Sources(expiringIn(Duration.ofMinutes(20), "short"));
        var signing = new LongLivedSigningCredentials(sources, TTL, clock);
        assertThatThrownBy(signing::resolveCredentials).isInstanceOf(StorageUnavailableException.class);
        assertThatThrownBy(signing::resolveCredentials).isInstanceOf(StorageUnavailableException.class);
        assertThat(sources.made).isEqualTo(2);
    }

    @Test
    void sessionCredentialsOfUnknownExpiry_areUsed() {
        Sources sources = new Sources(AwsSessionCredentials.create("ASIAENV", "secret", "token"));
        var signing = new LongLivedSigningCredentials(sources, TTL, clock);
        assertThat(signing.resolveCredentials().accessKeyId()).isEqualTo("ASIAENV");
    }

    @Test
    void whenNoSourceOutlivesTheUrl_noUrlIsSigned() {
        Sources sources = new Sources(expiringIn(Duration.ofMinutes(20), "short"));
        var signing = new LongLivedSigningCredentials(sources, TTL, clock);
        assertThatThrownBy(signing::resolveCredentials).isInstanceOf(StorageUnavailableException.class)
                .hasMessageContaining("response_format=b64_json");
    }

    @Test
    void urlTtlOutsideWhatS3CanSign_failsStartUpNamingTheProperty() {
        assertThatThrownBy(() -> S3Clients.checkUrlTtl(Duration.ZERO)).hasMessageContaining("images.url-ttl");
        assertThatThrownBy(() -> S3Clients.checkUrlTtl(Duration.ofDays(8))).hasMessageContaining("images.url-ttl");
        S3Clients.checkUrlTtl(Duration.ofMinutes(60));
        S3Clients.checkUrlTtl(Duration.ofDays(7));
    }
}
