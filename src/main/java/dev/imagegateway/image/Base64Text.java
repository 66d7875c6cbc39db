package dev.imagegateway.image;

/**
 * Checks that a text is well-formed standard base64 (the alphabet, padding only at the end, whole
 * quads) without decoding it: an image passed through inline is checked in one fast scan instead of
 * being decoded only to be thrown away.
 */
public final class Base64Text {

    private Base64Text() {
    }

    public static boolean isWellFormed(String text) {
        int length = text.length();
        if (length == 0 || length % 4 != 0) {
            return false;
        }
        int padding = text.charAt(length - 1) == '=' ? (text.charAt(length - 2) == '=' ? 2 : 1) : 0;
        for (int i = 0; i < length - padding; i++) {
            char c = text.charAt(i);
            boolean inAlphabet = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '+' || c == '/';
            if (!inAlphabet) {
                return false;
            }
        }
        return true;
    }
}
