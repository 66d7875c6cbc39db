package dev.imagegateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegateway.error.UpstreamFailureException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.http.HttpConnectTimeoutException;
import org.junit.jupiter.api.Test;

/** No answer at all: only a connection never made is safe to send again, connect timeouts included. */
class UpstreamFailuresTest {

    @Test
    void connectTimeout_isAConnectionNeverMade_safeToRetry_notATimeoutOfTheCall() {
        UpstreamFailureException failure = UpstreamFailures.noAnswer(
                new RuntimeException(new HttpConnectTimeoutException("connect timed out")));

        assertThat(failure.retrySafe()).isTrue();
        assertThat(failure.status()).isEqualTo(502);
        assertThat(failure.code()).isEqualTo("upstream_unavailable");
    }

    @Test
    void refusedConnection_isSafeToRetry() {
        assertThat(UpstreamFailures.noAnswer(new ConnectException("Connection refused")).retrySafe()).isTrue();
    }

    @Test
    void readTimeoutAfterTheRequestWasSent_isA504_neverRetried() {
        UpstreamFailureException failure = UpstreamFailures.noAnswer(new SocketTimeoutException("Read timed out"));

        assertThat(failure.retrySafe()).isFalse();
        assertThat(failure.status()).isEqualTo(504);
    }
}
