package dev.imagegateway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegateway.error.OpenAiError;
import dev.imagegateway.generation.StreamedImages;
import dev.imagegateway.wire.Usage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The {@code text/event-stream} answer to {@code stream=true}, in OpenAI's shape: each event named by an
 * {@code event:} line and carrying its {@code type} again inside the {@code data:} JSON, and an
 * {@code error} event with the OpenAI error envelope when the stream could not be finished.
 *
 * <p>
 * The whole stream is built first and written in one piece. Lambda delivers a buffered answer only
 * once it is complete anyway (API Gateway, and Function URLs in buffered mode, the only mode the Java
 * runtime offers), and the Lambda HTTP bridge stalls on chunked answers (quarkusio/quarkus#44551).
 */
@ApplicationScoped
public class ImageEventStream {

    /** {@code text/event-stream}; UTF-8 is the only encoding the format allows. */
    public static final String CONTENT_TYPE = "text/event-stream";

    private static final String ERROR = "error";

    private final ObjectMapper mapper;

    public ImageEventStream(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** One image event as OpenAI sends it; {@code url} is this gateway's addition for {@code response_format=url}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ImageEvent(
            @JsonProperty("type") String type,
            @JsonProperty("b64_json") String b64Json,
            @JsonProperty("url") String url,
            @JsonProperty("partial_image_index") Integer partialImageIndex,
            @JsonProperty("size") String size,
            @JsonProperty("quality") String quality,
            @JsonProperty("background") String background,
            @JsonProperty("output_format") String outputFormat,
            @JsonProperty("created_at") long createdAt,
            @JsonProperty("usage") Usage usage) {

        static ImageEvent of(StreamedImages.Event event, boolean edit) {
            String prefix = edit ? "image_edit." : "image_generation.";
            String type = prefix + (event.kind() == StreamedImages.Kind.PARTIAL_IMAGE ? "partial_image" : "completed");
            return new ImageEvent(type, event.b64Json(), event.url() == null ? null : event.url().toString(),
                    event.partialImageIndex(), event.size(), event.quality(), event.background(),
                    event.outputFormat(), event.createdAt(), event.usage());
        }
    }

    /** The last event of a stream that failed: {@code type: error} and the OpenAI error object. */
    public record ErrorEvent(
            @JsonProperty("type") String type,
            @JsonProperty("error") OpenAiError.Detail error) {
    }

    /** The 200 answer carrying {@code streamed} as server-sent events. */
    public Response answer(StreamedImages streamed) throws JsonProcessingException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (StreamedImages.Event event : streamed.events()) {
            ImageEvent wire = ImageEvent.of(event, streamed.edit());
            write(body, wire.type(), mapper.writeValueAsBytes(wire));
        }
        if (streamed.failure() != null) {
            OpenAiError error = OpenAiErrorMapper.streamError(streamed.failure());
            write(body, ERROR, mapper.writeValueAsBytes(new ErrorEvent(ERROR, error.error())));
        }
        return Response.ok(body.toByteArray(), CONTENT_TYPE)
                // Proxies must neither cache nor hold back an event stream.
                .header("Cache-Control", "no-cache")
                .build();
    }

    private static void write(ByteArrayOutputStream body, String event, byte[] data) {
        // Jackson writes JSON on one line (no raw newlines), so one data: line carries the whole event.
        body.writeBytes(("event: " + event + "\ndata: ").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(data);
        body.writeBytes("\n\n".getBytes(StandardCharsets.UTF_8));
    }
}
