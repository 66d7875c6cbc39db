package dev.imagegateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StreamingImagesReaderTest {

    private final StreamingImagesReader reader = new StreamingImagesReader(new ObjectMapper());

    private static byte[] answer(List<byte[]> images) {
        StringBuilder json = new StringBuilder("{\"created\":7,\"data\":[");
        for (int i = 0; i < images.size(); i++) {
            json.append(i > 0 ? "," : "").append("{\"revised_prompt\":\"r").append(i).append("\",\"b64_json\":\"")
                    .append(Base64.getEncoder().encodeToString(images.get(i))).append("\"}");
        }
        return json.append("],\"size\":\"1024x1024\",\"extra\":{\"nested\":[1,2]}}").toString()
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void decodedImages_reachTheSinkInOrder_andTheRestIsRead() throws Exception {
        byte[] first = { 1, 2, 3 };
        byte[] second = { 4, 5, 6, 7 };
        List<byte[]> received = new ArrayList<>();

        UpstreamImagesResponse read = reader.read(new ByteArrayInputStream(answer(List.of(first, second))),
                (index, image) -> received.add(image));

        assertThat(received).containsExactly(first, second);
        assertThat(read.data()).extracting(UpstreamImagesResponse.Image::revisedPrompt).containsExactly("r0", "r1");
        assertThat(read.data()).extracting(UpstreamImagesResponse.Image::b64Json).containsOnlyNulls();
        assertThat(read.created()).isEqualTo(7);
        assertThat(read.size()).isEqualTo("1024x1024");
    }

    @Test
    void withoutSink_theBase64IsKeptAsSent_andCheckedInTheSamePass() throws Exception {
        byte[] image = new byte[1000];
        new Random(5).nextBytes(image);

        UpstreamImagesResponse read = reader.read(new ByteArrayInputStream(answer(List.of(image, new byte[] { 9 }))),
                null);

        assertThat(read.data().get(0).b64Json().toString()).isEqualTo(Base64.getEncoder().encodeToString(image));
        assertThat(read.data().get(0).b64Json().isWellFormed()).isTrue();
        assertThat(read.data().get(1).b64Json().decode()).containsExactly(9);
        assertThat(read.data()).extracting(UpstreamImagesResponse.Image::revisedPrompt).containsExactly("r0", "r1");
        assertThat(read.size()).isEqualTo("1024x1024");
    }

    @Test
    void withoutSink_base64WithJsonEscapes_isUnescaped_andOtherTextIsKeptButNotWellFormed() throws Exception {
        // "\/" is a legal JSON escape of "/" that some encoders write; the text is then read by Jackson.
        byte[] escaped = "{\"data\":[{\"b64_json\":\"ab\\/d\"},{\"b64_json\":\"ab d\"},{\"b64_json\":\"QQ==QQ==\"}]}"
                .getBytes(StandardCharsets.UTF_8);

        UpstreamImagesResponse read = reader.read(new ByteArrayInputStream(escaped), null);

        assertThat(read.data().get(0).b64Json().toString()).isEqualTo("ab/d");
        assertThat(read.data().get(0).b64Json().isWellFormed()).isTrue();
        assertThat(read.data().get(1).b64Json().toString()).isEqualTo("ab d");
        assertThat(read.data().get(1).b64Json().isWellFormed()).isFalse();
        assertThat(read.data().get(2).b64Json().isWellFormed()).as("padding inside").isFalse();
    }

    @Test
    void imageLargerThanJacksonsDefaultStringLimit_isRead_notRefused() throws Exception {
        byte[] large = new byte[16_000_000]; // 21.3 million base64 characters, over Jackson's 20 million
        new Random(3).nextBytes(large);

        UpstreamImagesResponse kept = reader.read(new ByteArrayInputStream(answer(List.of(large))), null);
        int[] decodedLength = new int[1];
        reader.read(new ByteArrayInputStream(answer(List.of(large))), (index, image) -> decodedLength[0] = image.length);

        assertThat(kept.data().get(0).b64Json().length()).isEqualTo(21_333_336);
        assertThat(decodedLength[0]).isEqualTo(large.length);
    }

    @Test
    void readWhole_takesAllOfTheBody_whetherTheStreamKnowsItsLengthOrNot() throws Exception {
        byte[] body = answer(List.of(new byte[3000]));
        // Exact (a body the client read whole), unknown (a streamed one: 0), and under-reported (a stream
        // whose available() is only what is buffered so far): the same bytes every time.
        assertThat(StreamingImagesReader.readWhole(new ByteArrayInputStream(body))).isEqualTo(body);
        assertThat(StreamingImagesReader.readWhole(reporting(body, 0))).isEqualTo(body);
        assertThat(StreamingImagesReader.readWhole(reporting(body, 100))).isEqualTo(body);
    }

    /** A stream of {@code body} whose {@code available()} says {@code available}. */
    private static ByteArrayInputStream reporting(byte[] body, int available) {
        return new ByteArrayInputStream(body) {
            @Override
            public synchronized int available() {
                return Math.min(available, super.available());
            }
        };
    }
}
