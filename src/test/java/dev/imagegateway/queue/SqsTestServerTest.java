package dev.imagegateway.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagegateway.testsupport.SqsTestServer;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.Message;

/** The test queue behaves as template.yaml's: delivered, redelivered when not deleted, then dead-lettered. */
class SqsTestServerTest {

    private final SqsTestServer server = new SqsTestServer();

    @BeforeEach
    void start() {
        server.startServer();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void aMessageNeverDeleted_endsInTheDeadLetterQueue() throws InterruptedException {
        var sqs = server.client();
        sqs.sendMessage(m -> m.queueUrl(server.queueUrl()).messageBody("{\"line\":1}"));
        int receives = 0;
        for (int i = 0; i < 60 && receives < SqsTestServer.MAX_RECEIVES; i++) {
            List<Message> got = sqs.receiveMessage(r -> r.queueUrl(server.queueUrl()).waitTimeSeconds(1)
                    .visibilityTimeout(0)).messages();
            receives += got.size();
        }
        assertThat(receives).isEqualTo(SqsTestServer.MAX_RECEIVES);
        List<Message> dead = sqs.receiveMessage(r -> r.queueUrl(server.queueUrl()).waitTimeSeconds(1)).messages();
        assertThat(dead).isEmpty();
        List<Message> inDlq = sqs.receiveMessage(r -> r.queueUrl(server.deadLetterQueueUrl()).waitTimeSeconds(2))
                .messages();
        assertThat(inDlq).extracting(Message::body).containsExactly("{\"line\":1}");
    }
}
