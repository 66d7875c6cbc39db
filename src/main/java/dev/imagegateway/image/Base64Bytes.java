package dev.imagegateway.image;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.UTF8JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Base64 image data kept as the bytes it arrived in: a range of the upstream's answer, never a
 * {@code String}. An inline answer passes half a megabyte of base64 per image through the gateway;
 * as a range it is scanned once and written once, where a {@code String} was copied into Jackson's text
 * buffer, into the string, and through Jackson's escaping again on the way out.
 *
 * <p>
 * In JSON it is written as a string. Once {@link #isWellFormed()} has found it to be standard base64
 * (no character in it needs escaping) its bytes are written as they are; otherwise as an escaped
 * string, so that even unchecked data can never break the JSON it is written into.
 */
@JsonSerialize(using = Base64Bytes.Json.class)
public final class Base64Bytes {

    private final byte[] source;
    private final int offset;
    private final int length;
    private volatile boolean wellFormed;

    private Base64Bytes(byte[] source, int offset, int length) {
        this.source = source;
        this.offset = offset;
        this.length = length;
    }

    /** {@code length} bytes of {@code source} from {@code offset}, not copied: the source must not change. */
    public static Base64Bytes of(byte[] source, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > source.length) {
            throw new IndexOutOfBoundsException("range " + offset + "+" + length + " of " + source.length);
        }
        return new Base64Bytes(source, offset, length);
    }

    /**
     * The base64 content of the JSON string whose opening quote is at {@code quote} in {@code json},
     * already known to be well-formed; null when that content is not plain well-formed base64 (escapes,
     * other characters, bad padding), which the caller then reads as text.
     */
    public static Base64Bytes quoted(byte[] json, int quote) {
        if (quote < 0 || quote >= json.length || json[quote] != '"') {
            return null;
        }
        int length = Base64Text.quotedLength(json, quote + 1);
        if (length < 0) {
            return null;
        }
        Base64Bytes range = new Base64Bytes(json, quote + 1, length);
        range.wellFormed = true;
        return range;
    }

    /** The text's characters as bytes (UTF-8); null for null. Also how JSON reads it, for any reader of it. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Base64Bytes of(String text) {
        if (text == null) {
            return null;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new Base64Bytes(bytes, 0, bytes.length);
    }

    /** Characters of base64 text. */
    public int length() {
        return length;
    }

    /** Whether it is well-formed standard base64 ({@link Base64Text}); one scan, remembered. */
    public boolean isWellFormed() {
        if (!wellFormed) {
            wellFormed = Base64Text.isWellFormed(source, offset, length);
        }
        return wellFormed;
    }

    /**
     * The first bytes it decodes to, enough for {@link ImageType#matches}: 16 characters decode to the 12
     * bytes the longest signature needs, so the image is checked without decoding it whole. Empty when
     * those characters do not decode.
     */
    public byte[] leadingBytes() {
        int head = Math.min(length, 16) & ~3;
        try {
            return Base64.getDecoder().decode(ByteBuffer.wrap(source, offset, head)).array();
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    /** The decoded bytes; throws {@link IllegalArgumentException} when it is not base64. */
    public byte[] decode() {
        ByteBuffer decoded = Base64.getDecoder().decode(ByteBuffer.wrap(source, offset, length));
        return decoded.hasArray() && decoded.arrayOffset() == 0 && decoded.array().length == decoded.remaining()
                ? decoded.array()
                : copy(decoded);
    }

    private static byte[] copy(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    /** The text itself (a copy), for tests and messages; the answer path never needs it. */
    @Override
    public String toString() {
        return new String(source, offset, length, StandardCharsets.UTF_8);
    }

    /** Writes the range as a JSON string: as it is when checked, escaped by Jackson otherwise. */
    static final class Json extends StdSerializer<Base64Bytes> {

        Json() {
            super(Base64Bytes.class);
        }

        @Override
        public void serialize(Base64Bytes value, JsonGenerator generator, SerializerProvider provider)
                throws IOException {
            // Only a generator that writes UTF-8 bytes takes bytes as they are; a Writer-based one gets text.
            if (value.wellFormed && generator instanceof UTF8JsonGenerator) {
                generator.writeRawUTF8String(value.source, value.offset, value.length);
            } else {
                generator.writeString(value.toString());
            }
        }
    }
}
