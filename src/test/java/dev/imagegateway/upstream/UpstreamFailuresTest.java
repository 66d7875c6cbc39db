package dev.imagegateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegateway.error.GatewayException;
import dev.imagegateway.error.UpstreamFailureException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * No answer at all: only a connection never made is safe to send again, connect timeouts included. A 4xx's
 * error object is passed on whatever JSON types an OpenAI-compatible backend chose for its fields.
 */
class UpstreamFailuresTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void errorObjectWithAnObjectForAMessage_keepsTheRestOfTheError() {
        GatewayException refused = rejected(400, "{\"error\":{\"message\":{\"text\":\"no cats\"},"
                + "\"type\":\"invalid_request_error\",\"param\":\"prompt\",\"code\":\"content_policy\","
                + "\"moderation_details\":{\"flagged\":true}}}");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.getMessage()).isEqualTo("{\"text\":\"no cats\"}");
        assertThat(refused.type()).isEqualTo("invalid_request_error");
        assertThat(refused.param()).isEqualTo("prompt");
        assertThat(refused.code()).isEqualTo("content_policy");
        assertThat(refused.otherFields()).isEqualTo(Map.of("moderation_details", Map.of("flagged", true)));
    }

    @Test
    void anArrayForAParam_losesOnlyThatField_theNumericCodeBesideItStaysAsItsText() {
        // Before, an array in one of the four fields failed the read of the whole error object, and the
        // caller got a bare status without the upstream's message, type or code.
        GatewayException refused = rejected(429, "{\"error\":{\"message\":\"slow down\",\"type\":\"requests\","
                + "\"param\":[\"n\"],\"code\":429}}");

        assertThat(refused.code()).isEqualTo("429");
        assertThat(refused.type()).isEqualTo("requests");
        assertThat(refused.getMessage()).isEqualTo("slow down");
        // An array is no param OpenAI gives: left out rather than turned into a text it never sent.
        assertThat(refused.param()).isNull();
    }

    private static GatewayException rejected(int status, String body) {
        return UpstreamFailures.forStatus(status, body.getBytes(StandardCharsets.UTF_8), null, MAPPER);
    }

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
