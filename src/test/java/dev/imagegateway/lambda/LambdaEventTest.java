package dev.imagegateway.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which events start a sweep: EventBridge's scheduled event only, never anything that came over HTTP. */
class LambdaEventTest {

    @ParameterizedTest
    @ValueSource(strings = { "http-url.json", "http-b64-json.json", "http-gpt-image.json", "http-invalid.json",
            "http-unauthenticated.json" })
    void httpEventFiles_areHttp(String file) throws IOException {
        assertThat(LambdaEvent.of(Files.readAllBytes(Path.of("events", file)))).isEqualTo(LambdaEvent.HTTP);
    }

    @Test
    void scheduledEventFile_asEventBridgeDeliversIt_isScheduled() throws IOException {
        assertThat(LambdaEvent.of(Files.readAllBytes(Path.of("events", "scheduled.json"))))
                .isEqualTo(LambdaEvent.SCHEDULED);
    }

    @ParameterizedTest
    @ValueSource(strings = { "api-gateway-scheduled-body.json", "function-url-scheduled-body.json" })
    void httpEventCarryingAScheduledEventInItsBody_staysHttp(String file) throws IOException {
        assertThat(LambdaEvent.of(testEvent(file))).isEqualTo(LambdaEvent.HTTP);
    }

    @Test
    void sqsEventFixture_asTheEventSourceMappingDeliversIt_isSqs() throws IOException {
        byte[] event = getClass().getResourceAsStream("/events/sqs-batch-line.json").readAllBytes();
        assertThat(LambdaEvent.of(event)).isEqualTo(LambdaEvent.SQS);
    }

    @Test
    void recordsOfAnotherSource_areNotSqs() {
        assertThat(LambdaEvent.of(bytes("{\"Records\":[{\"eventSource\":\"aws:s3\"}]}"))).isEqualTo(LambdaEvent.UNKNOWN);
    }

    @Test
    void eventWithBothShapes_isHttp_becauseOnlyAnHttpFrontDoorSetsRequestContextHttp() {
        String event = "{\"source\":\"aws.events\",\"detail-type\":\"Scheduled Event\","
                + "\"requestContext\":{\"http\":{\"method\":\"POST\",\"path\":\"/\"}}}";
        assertThat(LambdaEvent.of(bytes(event))).isEqualTo(LambdaEvent.HTTP);
    }

    @ParameterizedTest
    @ValueSource(strings = { "{}", "[]", "not json", "{\"source\":\"aws.events\",\"detail-type\":\"Object Created\"}",
            "{\"source\":\"aws.s3\",\"detail-type\":\"Scheduled Event\"}", "{\"httpMethod\":\"POST\",\"path\":\"/\"}",
            "{\"requestContext\":{\"http\":\"POST\"}}" })
    void anythingElse_isUnknown(String event) {
        assertThat(LambdaEvent.of(bytes(event))).isEqualTo(LambdaEvent.UNKNOWN);
    }

    private static byte[] testEvent(String name) throws IOException {
        try (InputStream in = LambdaEventTest.class.getResourceAsStream("/events/" + name)) {
            return in.readAllBytes();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
