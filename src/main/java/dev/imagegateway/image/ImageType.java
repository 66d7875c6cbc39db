package dev.imagegateway.image;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The image formats the gateway stores, each recognised by the signature its files start with. */
public enum ImageType {
    PNG("png", "image/png"),
    JPEG("jpeg", "image/jpeg"),
    WEBP("webp", "image/webp");

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final byte[] JPEG_SIGNATURE = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};
    private static final byte[] RIFF = "RIFF".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WEBP_FOURCC = "WEBP".getBytes(StandardCharsets.US_ASCII);

    private final String extension;
    private final String contentType;

    ImageType(String extension, String contentType) {
        this.extension = extension;
        this.contentType = contentType;
    }

    /** The file extension used in object keys, which is also the OpenAI {@code output_format} name. */
    public String extension() {
        return extension;
    }

    public String contentType() {
        return contentType;
    }

    /** The type named by an OpenAI {@code output_format} value. */
    public static ImageType ofOutputFormat(String outputFormat) {
        for (ImageType type : values()) {
            if (type.extension.equals(outputFormat)) {
                return type;
            }
        }
        throw new IllegalArgumentException("not an output format: " + outputFormat);
    }

    /** Whether {@code bytes} start the way a file of this type must (the first 12 bytes suffice). */
    public boolean matches(byte[] bytes) {
        return switch (this) {
            case PNG -> startsWith(bytes, 0, PNG_SIGNATURE);
            case JPEG -> startsWith(bytes, 0, JPEG_SIGNATURE);
            case WEBP -> startsWith(bytes, 0, RIFF) && startsWith(bytes, 8, WEBP_FOURCC);
        };
    }

    /**
     * The first bytes of a base64-encoded image, enough for {@link #matches}: 16 characters decode to
     * the 12 bytes the longest signature needs, so an image passed through as base64 is checked without
     * decoding it whole. Empty when those characters are not base64.
     */
    public static byte[] leadingBytes(String base64) {
        String head = base64.length() > 16 ? base64.substring(0, 16) : base64;
        try {
            return Base64.getDecoder().decode(head);
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    private static boolean startsWith(byte[] bytes, int offset, byte[] prefix) {
        if (bytes.length < offset + prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[offset + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
