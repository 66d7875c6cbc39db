package dev.imagegateway.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegateway.testsupport.Fixtures;
import org.junit.jupiter.api.Test;

/** Usage figures the gateway does not know by name are passed on, not dropped. */
class UsageTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void unknownUsageFields_atEveryLevel_arePassedThroughAsGiven() throws Exception {
        String upstream = Fixtures.text("upstream/usage-with-unknown-fields.json");

        JsonNode passedOn = JSON.readTree(JSON.writeValueAsString(JSON.readValue(upstream, Usage.class)));

        assertThat(passedOn).isEqualTo(JSON.readTree(upstream));
    }

    @Test
    void knownFieldsOnly_areWrittenWithoutExtraKeysOrNulls() throws Exception {
        String written = JSON.writeValueAsString(new Usage(1L, 2L, 3L, new Usage.InputDetails(1L, 0L), null));

        assertThat(JSON.readTree(written)).isEqualTo(JSON.readTree(
                "{\"input_tokens\":1,\"output_tokens\":2,\"total_tokens\":3,"
                        + "\"input_tokens_details\":{\"text_tokens\":1,\"image_tokens\":0}}"));
    }
}
