package dev.imagegateway.image;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * What an input image's header says: its type (by signature), width, height, and whether it can carry
 * transparency. Read from the first bytes only (the PNG {@code IHDR}, the JPEG frame header, the WebP
 * {@code VP8 }/{@code VP8L}/{@code VP8X} chunk), never by decoding the image, so a caller's upload costs
 * no decoding and no second copy.
 *
 * @param hasAlpha whether the image has an alpha channel (PNG colour types 4 and 6, or a {@code tRNS}
 *        chunk before the image data; WebP's alpha flag); always false for JPEG
 */
public record ImageHeader(ImageType type, int width, int height, boolean hasAlpha) {

    /** The types an edit may take as input; GIF and SVG are output formats only. */
    private static final ImageType[] INPUT_TYPES = { ImageType.PNG, ImageType.JPEG, ImageType.WEBP };

    /**
     * The header of the image in {@code bytes[offset, offset + length)}; empty when the bytes do not start
     * like a PNG, JPEG or WebP, or their header is cut short or malformed.
     */
    public static Optional<ImageHeader> read(byte[] bytes, int offset, int length) {
        Bytes data = new Bytes(bytes, offset, length);
        for (ImageType type : INPUT_TYPES) {
            if (type.matches(data.head(12))) {
                try {
                    return switch (type) {
                        case PNG -> png(data);
                        case JPEG -> jpeg(data);
                        default -> webp(data);
                    };
                } catch (IndexOutOfBoundsException truncated) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** The header of a whole image. */
    public static Optional<ImageHeader> read(byte[] bytes) {
        return read(bytes, 0, bytes.length);
    }

    private static Optional<ImageHeader> png(Bytes data) {
        // Signature (8), then IHDR: length (4), "IHDR" (4), width (4), height (4), depth (1), colour type (1).
        if (!data.ascii(12, 4).equals("IHDR")) {
            return Optional.empty();
        }
        int width = data.int32(16);
        int height = data.int32(20);
        int colourType = data.u8(25);
        boolean alpha = colourType == 4 || colourType == 6;
        // A tRNS chunk gives colour types 0, 2 and 3 transparency; it must come before the first IDAT.
        int at = 8;
        while (!alpha && at + 8 <= data.length()) {
            long chunkLength = data.int32(at) & 0xFFFFFFFFL;
            String name = data.ascii(at + 4, 4);
            if (name.equals("tRNS")) {
                alpha = true;
            } else if (name.equals("IDAT") || name.equals("IEND")) {
                break;
            }
            at += (int) Math.min(Integer.MAX_VALUE - 12L, 12 + chunkLength);
        }
        return dimensions(ImageType.PNG, width, height, alpha);
    }

    private static Optional<ImageHeader> jpeg(Bytes data) {
        int at = 2;
        while (at + 4 <= data.length()) {
            if (data.u8(at) != 0xFF) {
                return Optional.empty();
            }
            int marker = data.u8(at + 1);
            if (marker == 0xFF) {
                at++; // fill byte
                continue;
            }
            if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                at += 2; // markers without a length
                continue;
            }
            if (marker == 0xD9 || marker == 0xDA) {
                return Optional.empty(); // end of image or start of scan before any frame header
            }
            int segmentLength = data.u16(at + 2);
            if (segmentLength < 2) {
                return Optional.empty();
            }
            boolean frame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (frame) {
                // length (2), precision (1), height (2), width (2)
                return dimensions(ImageType.JPEG, data.u16(at + 7), data.u16(at + 5), false);
            }
            at += 2 + segmentLength;
        }
        return Optional.empty();
    }

    private static Optional<ImageHeader> webp(Bytes data) {
        String chunk = data.ascii(12, 4);
        switch (chunk) {
            case "VP8 " -> {
                // frame tag (3), start code 9d 01 2a (3), then 14-bit width and height
                if (data.u8(23) != 0x9D || data.u8(24) != 0x01 || data.u8(25) != 0x2A) {
                    return Optional.empty();
                }
                return dimensions(ImageType.WEBP, data.u16le(26) & 0x3FFF, data.u16le(28) & 0x3FFF, false);
            }
            case "VP8L" -> {
                if (data.u8(20) != 0x2F) {
                    return Optional.empty();
                }
                long bits = data.u32le(21);
                int width = (int) (bits & 0x3FFF) + 1;
                int height = (int) ((bits >> 14) & 0x3FFF) + 1;
                boolean alpha = ((bits >> 28) & 1) == 1;
                return dimensions(ImageType.WEBP, width, height, alpha);
            }
            case "VP8X" -> {
                boolean alpha = (data.u8(20) & 0x10) != 0;
                int width = data.u24le(24) + 1;
                int height = data.u24le(27) + 1;
                return dimensions(ImageType.WEBP, width, height, alpha);
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    private static Optional<ImageHeader> dimensions(ImageType type, int width, int height, boolean alpha) {
        return width > 0 && height > 0 ? Optional.of(new ImageHeader(type, width, height, alpha)) : Optional.empty();
    }

    /** A bounds-checked view of part of an array; reading past its end throws IndexOutOfBoundsException. */
    private record Bytes(byte[] array, int offset, int length) {

        int u8(int at) {
            if (at < 0 || at >= length) {
                throw new IndexOutOfBoundsException(at);
            }
            return array[offset + at] & 0xFF;
        }

        int u16(int at) {
            return (u8(at) << 8) | u8(at + 1);
        }

        int int32(int at) {
            return (u8(at) << 24) | (u8(at + 1) << 16) | (u8(at + 2) << 8) | u8(at + 3);
        }

        int u16le(int at) {
            return u8(at) | (u8(at + 1) << 8);
        }

        int u24le(int at) {
            return u8(at) | (u8(at + 1) << 8) | (u8(at + 2) << 16);
        }

        long u32le(int at) {
            return (u8(at) | (u8(at + 1) << 8) | (u8(at + 2) << 16) | ((long) u8(at + 3) << 24)) & 0xFFFFFFFFL;
        }

        String ascii(int at, int count) {
            if (at < 0 || at + count > length) {
                throw new IndexOutOfBoundsException(at + count);
            }
            return new String(array, offset + at, count, StandardCharsets.ISO_8859_1);
        }

        byte[] head(int count) {
            byte[] head = new byte[Math.min(count, length)];
            System.arraycopy(array, offset, head, 0, head.length);
            return head;
        }
    }
}
