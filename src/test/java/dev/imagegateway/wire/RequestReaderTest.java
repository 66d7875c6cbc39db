package dev.imagegateway.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegateway.error.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestReaderTest {

    private final RequestReader reader = new RequestReader(new ObjectMapper());

    @Test
    void invalidUtf8Bytes_areInvalidJson_withNoCode() {
        byte[] body = { '{', '"', 'p', 'r', 'o', 'm', 'p', 't', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}' };
        assertThatThrownBy(() -> reader.read(body)).isInstanceOfSatisfying(InvalidRequestException.class,
                e -> assertThat(e.code()).isNull());
    }

    @Test
    void jsonNull_isTheSameAsAbsent() {
        ImageRequest request = read("{\"prompt\":\"x\",\"n\":null,\"stream\":null,\"style\":null}");
        assertThat(request.n()).isNull();
        assertThat(request.stream()).isNull();
        assertThat(request.style()).isNull();
        assertThat(request.hasGptImageOnlyField()).isFalse();
    }

    @Test
    void fieldsOutsideTheApi_areHandedOnAsPlainValues_forTheRulesToJudge() {
        ImageRequest request = read("{\"prompt\":\"x\",\"complexity\":\"high\",\"depth\":3,\"big\":99999999999999999999,"
                + "\"off\":null}");
        assertThat(request.extra()).containsEntry("complexity", "high").containsEntry("depth", 3L)
                .containsEntry("big", new java.math.BigInteger("99999999999999999999")).containsEntry("off", null);
    }

    @Test
    void nullPrompt_isAWrongType_notAMissingOne() {
        assertThatThrownBy(() -> read("{\"prompt\":null}")).isInstanceOfSatisfying(InvalidRequestException.class,
                e -> assertThat(e.code()).isEqualTo("invalid_type"));
    }

    @Test
    void everyFieldIsRead() {
        ImageRequest request = read("{\"prompt\":\"p\",\"model\":\"m\",\"n\":2,\"quality\":\"q\",\"response_format\":\"r\","
                + "\"output_format\":\"o\",\"output_compression\":3,\"stream\":true,\"partial_images\":1,\"size\":\"s\","
                + "\"moderation\":\"mo\",\"background\":\"b\",\"style\":\"st\",\"user\":\"u\"}");
        assertThat(request).isEqualTo(new ImageRequest("p", "m", 2L, "q", "r", "o", 3L, true, 1L, "s", "mo", "b", "st", "u"));
    }

    @Test
    void errorMessages_neverQuoteTheBody() {
        assertThatThrownBy(() -> read("{\"prompt\":\"secret-text\" nonsense"))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.getMessage()).doesNotContain("secret-text"));
    }

    @Test
    void deepNesting_isInvalidJsonOrUnknownParameter_notACrash() {
        String deep = "{\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        assertThatThrownBy(() -> read(deep)).isInstanceOf(InvalidRequestException.class);
    }

    private ImageRequest read(String body) {
        return reader.read(body.getBytes(StandardCharsets.UTF_8));
    }
}
