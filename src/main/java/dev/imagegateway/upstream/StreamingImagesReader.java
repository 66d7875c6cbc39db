package dev.imagegateway.upstream;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.imagegateway.error.UpstreamFailureException;
import dev.imagegateway.error.UpstreamFailureException.Reason;
import dev.imagegateway.image.Base64Bytes;
import dev.imagegateway.wire.Usage;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads an OpenAI images answer token by token. With a sink, each {@code b64_json} value is decoded
 * straight from the token stream into bytes ({@link JsonParser#getBinaryValue}) and handed over at
 * once: the base64 text is never held as a String, and the whole answer is never in memory. Without
 * one, the base64 text is kept, to be returned as it is.
 */
final class StreamingImagesReader {

    private final ObjectMapper mapper;

    StreamingImagesReader(ObjectMapper mapper) {
        this.mapper = UpstreamJson.readerOf(mapper);
    }

    /**
     * @param sink receives decoded images; null to keep the base64 text in the result instead
     * @throws IOException when the stream breaks (a transport failure, not the upstream's fault in JSON)
     * @throws UpstreamFailureException when what arrives is not an images answer
     */
    UpstreamImagesResponse read(InputStream body, DecodedImageSink sink) throws IOException {
        if (sink != null) {
            try (JsonParser parser = mapper.createParser(body)) {
                return read(parser, null, sink);
            }
        }
        // Kept whole, so that each image's base64 stays the byte range it arrived in (Base64Bytes).
        byte[] whole = readWhole(body);
        try (JsonParser parser = mapper.createParser(whole)) {
            return read(parser, whole, null);
        }
    }

    /**
     * All of {@code body}: into one array of the right size at once when the stream knows how much it
     * holds (a body the REST client has read whole), so that a large answer is not gathered piece by
     * piece and copied again.
     */
    static byte[] readWhole(InputStream body) throws IOException {
        int known = body.available();
        if (known <= 0) {
            return body.readAllBytes();
        }
        byte[] whole = new byte[known];
        int read = body.readNBytes(whole, 0, known);
        byte[] rest = body.readAllBytes();
        if (read == known && rest.length == 0) {
            return whole;
        }
        byte[] all = Arrays.copyOf(whole, read + rest.length);
        System.arraycopy(rest, 0, all, read, rest.length);
        return all;
    }

    private UpstreamImagesResponse read(JsonParser parser, byte[] whole, DecodedImageSink sink) throws IOException {
        try {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw invalid("The image backend's answer is not a JSON object.");
            }
            Long created = null;
            List<UpstreamImagesResponse.Image> data = null;
            String background = null;
            String outputFormat = null;
            String size = null;
            String quality = null;
            Usage usage = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "created" -> created = value.isNumeric() ? parser.getLongValue() : null;
                    case "data" -> data = readImages(parser, value, whole, sink);
                    case "background" -> background = text(parser, value);
                    case "output_format" -> outputFormat = text(parser, value);
                    case "size" -> size = text(parser, value);
                    case "quality" -> quality = text(parser, value);
                    case "usage" -> usage = value == JsonToken.START_OBJECT ? parser.readValueAs(Usage.class) : null;
                    default -> parser.skipChildren();
                }
            }
            if (data == null || data.isEmpty()) {
                throw invalid("The image backend's answer holds no images.");
            }
            return new UpstreamImagesResponse(created, data, background, outputFormat, size, quality, usage);
        } catch (JsonProcessingException e) {
            // Malformed JSON, bad base64, or JSON that ends early in a complete HTTP answer. A connection
            // that breaks surfaces as a plain IOException from the stream instead.
            throw new UpstreamFailureException(Reason.INVALID_RESPONSE,
                    "The image backend's answer is not valid JSON or not valid base64.", e);
        }
    }

    private static List<UpstreamImagesResponse.Image> readImages(JsonParser parser, JsonToken value, byte[] whole,
            DecodedImageSink sink) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            throw invalid("The image backend's 'data' is not a list.");
        }
        List<UpstreamImagesResponse.Image> images = new ArrayList<>();
        while (parser.nextToken() == JsonToken.START_OBJECT) {
            int index = images.size();
            Base64Bytes base64 = null;
            String revisedPrompt = null;
            boolean hasImage = false;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken token = parser.nextToken();
                if (field.equals("b64_json") && token == JsonToken.VALUE_STRING) {
                    hasImage = true;
                    if (sink == null) {
                        // Not read as text: the next token skips the string without copying it.
                        base64 = Base64Bytes.quoted(whole, (int) parser.currentTokenLocation().getByteOffset());
                        if (base64 == null) {
                            base64 = Base64Bytes.of(parser.getText());
                        }
                    } else {
                        sink.accept(index, parser.getBinaryValue(Base64Variants.MIME_NO_LINEFEEDS));
                    }
                } else if (field.equals("revised_prompt")) {
                    revisedPrompt = text(parser, token);
                } else {
                    parser.skipChildren();
                }
            }
            if (!hasImage) {
                throw invalid("The image backend answered without base64 image data.");
            }
            images.add(new UpstreamImagesResponse.Image(base64, revisedPrompt));
        }
        if (parser.currentToken() != JsonToken.END_ARRAY) {
            throw invalid("The image backend's 'data' holds something that is not an image.");
        }
        return images;
    }

    private static String text(JsonParser parser, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_STRING) {
            return parser.getText();
        }
        parser.skipChildren();
        return null;
    }

    private static UpstreamFailureException invalid(String message) {
        return new UpstreamFailureException(Reason.INVALID_RESPONSE, message);
    }
}
