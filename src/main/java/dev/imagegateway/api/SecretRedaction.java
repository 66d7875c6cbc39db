package dev.imagegateway.api;

import java.util.regex.Pattern;

/**
 * Last line of defence for texts that leave the gateway, mostly upstream messages we pass through:
 * OpenAI-style keys and anything carrying an S3 signature are cut out.
 */
final class SecretRedaction {

    private static final Pattern API_KEY = Pattern.compile("\\bsk-[A-Za-z0-9_\\-*]{3,}");
    private static final Pattern SIGNED_URL = Pattern.compile("\\bhttps?://\\S*X-Amz-\\S*", Pattern.CASE_INSENSITIVE);
    private static final Pattern SIGNATURE = Pattern.compile("X-Amz-(Signature|Credential|Security-Token)=[^&\\s]*",
            Pattern.CASE_INSENSITIVE);

    private SecretRedaction() {
    }

    static String redact(String text) {
        if (text == null) {
            return null;
        }
        String redacted = SIGNED_URL.matcher(text).replaceAll("[signed URL removed]");
        redacted = SIGNATURE.matcher(redacted).replaceAll("X-Amz-$1=[removed]");
        return API_KEY.matcher(redacted).replaceAll("sk-[removed]");
    }
}
