package dev.imagegateway.image;

import java.nio.charset.StandardCharsets;

/**
 * The image formats the gateway stores. Most are recognised by the signature their files start with;
 * a format without one (svg, or a format the catalog or an unknown model names that the gateway does not
 * know) cannot be checked, so it is stored as a download rather than something a browser renders inline.
 */
public enum ImageType {
    PNG("png", "image/png", true),
    JPEG("jpeg", "image/jpeg", true),
    WEBP("webp", "image/webp", true),
    GIF("gif", "image/gif", true),
    SVG("svg", "image/svg+xml", false),
    /** Any other {@code output_format}: stored as opaque bytes, never served inline. */
    UNCHECKED("bin", "application/octet-stream", false);

    private static final byte[] PNG_SIGNATURE = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };
    private static final byte[] JPEG_SIGNATURE = { (byte) 0xFF, (byte) 0xD8, (byte) 0xFF };
    private static final byte[] RIFF = "RIFF".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WEBP_FOURCC = "WEBP".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] GIF87 = "GIF87a".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] GIF89 = "GIF89a".getBytes(StandardCharsets.US_ASCII);

    private final String extension;
    private final String contentType;
    private final boolean hasSignature;

    ImageType(String extension, String contentType, boolean hasSignature) {
        this.extension = extension;
        this.contentType = contentType;
        this.hasSignature = hasSignature;
    }

    /** The file extension used in object keys; for the checked formats also the {@code output_format} name. */
    public String extension() {
        return extension;
    }

    public String contentType() {
        return contentType;
    }

    /**
     * Whether the bytes can be checked by signature. Those that cannot are stored with
     * {@code Content-Disposition: attachment}, so that an SVG's script never runs in a browser that opens
     * the link.
     */
    public boolean hasSignature() {
        return hasSignature;
    }

    /** The type named by an {@code output_format} value; {@link #UNCHECKED} for one the gateway does not know. */
    public static ImageType ofOutputFormat(String outputFormat) {
        for (ImageType type : values()) {
            if (type != UNCHECKED && type.extension.equals(outputFormat)) {
                return type;
            }
        }
        return UNCHECKED;
    }

    /**
     * Whether {@code bytes} start the way a file of this type must (the first 12 bytes suffice); always
     * true for a type without a signature.
     */
    public boolean matches(byte[] bytes) {
        return switch (this) {
            case PNG -> startsWith(bytes, 0, PNG_SIGNATURE);
            case JPEG -> startsWith(bytes, 0, JPEG_SIGNATURE);
            case WEBP -> startsWith(bytes, 0, RIFF) && startsWith(bytes, 8, WEBP_FOURCC);
            case GIF -> startsWith(bytes, 0, GIF87) || startsWith(bytes, 0, GIF89);
            case SVG, UNCHECKED -> true;
        };
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
