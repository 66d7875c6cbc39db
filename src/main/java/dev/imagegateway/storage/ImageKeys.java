package dev.imagegateway.storage;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Object keys of generated images: {@code images/{yyyy}/{mm}/{dd}/{request-id}/{index}.{ext}}. The
 * request id is random, so keys cannot be guessed; the date prefix lets lifecycle rules and people
 * find a day's images.
 */
public final class ImageKeys {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);

    private ImageKeys() {
    }

    public static String of(Instant generatedAt, String requestId, int index, String extension) {
        return "images/" + DAY.format(generatedAt) + "/" + requestId + "/" + index + "." + extension;
    }
}
