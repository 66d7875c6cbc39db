package dev.imagegateway.files;

import dev.imagegateway.config.GatewayConfig;
import dev.imagegateway.error.ErrorCodes;
import dev.imagegateway.error.InvalidRequestException;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What OpenAI accepts of a new file, for {@code POST /v1/files} and {@code POST /v1/uploads} alike: the
 * purpose, the expiry ({@code expires_after}), a batch file's {@code .jsonl} name and an upload's size.
 * Each check throws the caller's 400 naming the field, in OpenAI's codes.
 */
@Singleton
public class FileRules {

    /** The purposes OpenAI takes for a new file; {@code batch} is the Batch API's input. */
    public static final List<String> PURPOSES = List.of("assistants", "batch", "fine-tune", "vision", "user_data",
            "evals");
    public static final String BATCH = "batch";
    /** OpenAI's bounds for {@code expires_after.seconds}: one hour to thirty days. */
    static final long MIN_EXPIRY_SECONDS = 3600;
    static final long MAX_EXPIRY_SECONDS = 2_592_000;
    /** OpenAI's limit for a batch input file: 200 MB. */
    public static final long MAX_BATCH_BYTES = 200L * 1024 * 1024;
    /**
     * OpenAI's limit for one file of any other purpose. The Uploads API would take 8 GB, but the gateway
     * joins the parts within the one {@code complete} request, which 512 MB keeps within its time.
     */
    public static final long MAX_FILE_BYTES = 512L * 1024 * 1024;
    private static final String ANCHOR = "created_at";

    private final Duration defaultExpiry;

    @Inject
    public FileRules(GatewayConfig config) {
        this(config.files().defaultExpiry());
    }

    public FileRules(Duration defaultExpiry) {
        this.defaultExpiry = defaultExpiry;
    }

    /** The purpose, if it is one of OpenAI's. */
    public String purpose(String purpose) {
        if (purpose == null || purpose.isEmpty()) {
            throw missing("purpose");
        }
        if (!PURPOSES.contains(purpose)) {
            throw new InvalidRequestException("purpose", ErrorCodes.INVALID_VALUE, "Invalid value for 'purpose': '"
                    + purpose + "'. Supported values are: 'assistants', 'batch', 'fine-tune', 'vision', 'user_data'"
                    + " and 'evals'.");
        }
        return purpose;
    }

    /**
     * How long the new file lives: {@code images.files.default-expiry} when the request names no
     * {@code expires_after}, else its {@code seconds} counted from {@code created_at}.
     */
    public Duration expiresAfter(String anchor, Long seconds) {
        if (anchor == null && seconds == null) {
            return defaultExpiry;
        }
        if (anchor == null) {
            throw missing("expires_after.anchor");
        }
        if (!ANCHOR.equals(anchor)) {
            throw new InvalidRequestException("expires_after.anchor", ErrorCodes.INVALID_VALUE, "Invalid value for"
                    + " 'expires_after.anchor': '" + anchor + "'. Supported values are: 'created_at'.");
        }
        if (seconds == null) {
            throw missing("expires_after.seconds");
        }
        if (seconds < MIN_EXPIRY_SECONDS) {
            throw new InvalidRequestException("expires_after.seconds", ErrorCodes.BELOW_MIN, "Invalid"
                    + " 'expires_after.seconds': integer below minimum value. Expected a value >= "
                    + MIN_EXPIRY_SECONDS + ", but got " + seconds + " instead.");
        }
        if (seconds > MAX_EXPIRY_SECONDS) {
            throw new InvalidRequestException("expires_after.seconds", ErrorCodes.ABOVE_MAX, "Invalid"
                    + " 'expires_after.seconds': integer above maximum value. Expected a value <= "
                    + MAX_EXPIRY_SECONDS + ", but got " + seconds + " instead.");
        }
        return Duration.ofSeconds(seconds);
    }

    /** {@code expires_after[seconds]} of a multipart form, where every value is text. */
    public Duration expiresAfter(String anchor, String seconds) {
        if (seconds == null) {
            return expiresAfter(anchor, (Long) null);
        }
        try {
            return expiresAfter(anchor, Long.valueOf(seconds.strip()));
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("expires_after.seconds", ErrorCodes.INVALID_TYPE, "Invalid type for"
                    + " 'expires_after.seconds': expected an integer, but got a string instead.");
        }
    }

    /** A batch input file must be named {@code *.jsonl}: OpenAI checks the extension, not the content. */
    public void filename(String purpose, String filename, String param) {
        if (BATCH.equals(purpose) && (filename == null || !filename.toLowerCase(Locale.ROOT).endsWith(".jsonl"))) {
            throw new InvalidRequestException(param, null, "Invalid file format for Batch API. Must be .jsonl");
        }
    }

    /** The size an upload announces: at least one byte, at most what OpenAI takes for its purpose. */
    public void uploadBytes(String purpose, long bytes) {
        if (bytes < 1) {
            throw new InvalidRequestException("bytes", ErrorCodes.BELOW_MIN, "Invalid 'bytes': integer below minimum"
                    + " value. Expected a value >= 1, but got " + bytes + " instead.");
        }
        long limit = BATCH.equals(purpose) ? MAX_BATCH_BYTES : MAX_FILE_BYTES;
        if (bytes > limit) {
            throw new InvalidRequestException("bytes", ErrorCodes.ABOVE_MAX, "Invalid 'bytes': a file of purpose '"
                    + purpose + "' may be at most " + limit + " bytes (" + limit / (1024 * 1024) + " MB), but got "
                    + bytes + " instead.");
        }
    }

    /** OpenAI's 400 for a required field the request lacks. */
    public static InvalidRequestException missing(String param) {
        return new InvalidRequestException(param, ErrorCodes.MISSING, "Missing required parameter: '" + param + "'.");
    }
}
