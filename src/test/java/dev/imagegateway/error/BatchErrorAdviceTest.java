package dev.imagegateway.error;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the Batch API's own errors tell a caller's SDK about retrying. */
class BatchErrorAdviceTest {

    @Test
    void cancellingAFinishedBatch_advisesNoRetry() {
        ErrorAnswer answer = ErrorAnswer.of(new ConflictException("Cannot cancel a batch with status 'completed'."));

        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.advisesRetry()).isTrue();
        assertThat(answer.retrySafe()).isFalse();
    }

    @Test
    void aGatewayWithoutAQueue_advisesNoRetry_butAnUnreachableQueueDoes() {
        ErrorAnswer missing = ErrorAnswer.of(QueueUnavailableException.notConfigured());
        ErrorAnswer unreachable = ErrorAnswer.of(QueueUnavailableException.unreachable(null));

        assertThat(missing.advisesRetry()).isTrue();
        assertThat(missing.retrySafe()).isFalse();
        assertThat(unreachable.retrySafe()).isTrue();
    }
}
