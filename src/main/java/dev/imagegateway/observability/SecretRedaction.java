package dev.imagegateway.observability;

import java.util.regex.Pattern;

/**
 * Cuts secrets out of texts that leave the gateway: log records (every one, through
 * {@link SecretRedactingLogFilter}) and the messages of error answers, mostly upstream messages passed
 * through. What counts as a secret: OpenAI-style keys ({@code sk-…}, gateway keys included), the
 * credential of any {@code Bearer} or {@code Basic} authorization, AWS access key ids, and anything
 * carrying an S3 signature.
 */
public final class SecretRedaction {

    private static final Pattern API_KEY = Pattern.compile("\\bsk-[A-Za-z0-9_\\-*]{3,}");
    // The credential after the scheme, control bytes and all (a key with a DEL in front is still a key);
    // at least 16 token characters, so that prose such as "use Bearer auth" stays readable.
    private static final Pattern AUTHORIZATION = Pattern.compile(
            "(?i)\\b(Bearer|Basic)[\\s\\x00-\\x1f\\x7f]+(?=[\\x00-\\x1f\\x7f]*[A-Za-z0-9._~+/=\\-]{16})\\S+");
    private static final Pattern AWS_ACCESS_KEY_ID = Pattern.compile("\\b(AKIA|ASIA)[0-9A-Z]{16}\\b");
    private static final Pattern SIGNED_URL = Pattern.compile("\\bhttps?://\\S*X-Amz-\\S*", Pattern.CASE_INSENSITIVE);
    private static final Pattern SIGNATURE = Pattern.compile("X-Amz-(Signature|Credential|Security-Token)=[^&\\s]*",
            Pattern.CASE_INSENSITIVE);

    // One scan for anything that could start a secret: nearly every text has none, and runs of five
    // replacements for every log record of every request would cost the request path for nothing.
    private static final Pattern ANY_MARKER = Pattern.compile("(?i)sk-|bearer|basic|akia|asia|x-amz-");

    private SecretRedaction() {
    }

    /** {@code text} with every secret replaced by a marker; null stays null. */
    public static String redact(String text) {
        if (text == null || !ANY_MARKER.matcher(text).find()) {
            return text;
        }
        String redacted = SIGNED_URL.matcher(text).replaceAll("[signed URL removed]");
        redacted = SIGNATURE.matcher(redacted).replaceAll("X-Amz-$1=[removed]");
        redacted = AUTHORIZATION.matcher(redacted).replaceAll("$1 [removed]");
        redacted = AWS_ACCESS_KEY_ID.matcher(redacted).replaceAll("[access key id removed]");
        return API_KEY.matcher(redacted).replaceAll("sk-[removed]");
    }
}
