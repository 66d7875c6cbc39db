package dev.imagegateway.storage;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Locale;

/**
 * Ids of files, uploads and batches ({@code file-…}, {@code batch_…}): a count down from a far future
 * millisecond, then random characters. S3 lists keys in ascending order, so keys that start with these
 * ids list newest first (OpenAI's default order) with no index, and {@code after} is S3's
 * {@code start-after}. The random part makes them unguessable.
 */
public final class NewestFirstIds {

    /** 2^44 ms is the year 2527: eleven hex digits, the same width for every id until then. */
    private static final long HORIZON = 1L << 44;
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final int RANDOM_CHARS = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private NewestFirstIds() {
    }

    public static String next(String prefix, Instant now) {
        StringBuilder id = new StringBuilder(prefix)
                .append(String.format(Locale.ROOT, "%011x", HORIZON - now.toEpochMilli()));
        for (int i = 0; i < RANDOM_CHARS; i++) {
            id.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return id.toString();
    }

    /** Whether {@code id} could be one of ours with {@code prefix}: checked before it is put into a key. */
    public static boolean looksLike(String prefix, String id) {
        if (id == null || !id.startsWith(prefix) || id.length() != prefix.length() + 11 + RANDOM_CHARS) {
            return false;
        }
        for (int i = prefix.length(); i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }
}
