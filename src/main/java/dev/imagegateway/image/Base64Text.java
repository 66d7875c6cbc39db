package dev.imagegateway.image;

/**
 * Checks that a text is well-formed standard base64 (the alphabet, padding only at the end, whole
 * quads) without decoding it: an image passed through inline is checked in one fast scan instead of
 * being decoded only to be thrown away.
 */
public final class Base64Text {

    /** The standard alphabet, as a table: one load per character instead of five range tests. */
    private static final boolean[] ALPHABET = new boolean[128];

    static {
        for (char c : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray()) {
            ALPHABET[c] = true;
        }
    }

    private Base64Text() {
    }

    public static boolean isWellFormed(String text) {
        int length = text.length();
        if (length == 0 || length % 4 != 0) {
            return false;
        }
        int padding = text.charAt(length - 1) == '=' ? (text.charAt(length - 2) == '=' ? 2 : 1) : 0;
        boolean[] alphabet = ALPHABET;
        // OR-ing the characters and the misses lets the loop run without a branch per character.
        int seen = 0;
        boolean miss = false;
        for (int i = 0, end = length - padding; i < end; i++) {
            char c = text.charAt(i);
            seen |= c;
            miss |= !alphabet[c & 0x7f];
        }
        return seen < 0x80 && !miss;
    }

    /**
     * How long the well-formed base64 at {@code from} is, if a quote ends it (the content of a JSON
     * string that needs no unescaping); -1 if what is there is anything else. One pass, a table load per byte.
     */
    public static int quotedLength(byte[] json, int from) {
        boolean[] alphabet = ALPHABET;
        int i = from;
        int n = json.length;
        while (i < n && json[i] >= 0 && alphabet[json[i]]) {
            i++;
        }
        int characters = i;
        while (i < n && json[i] == '=' && i - characters < 2) {
            i++;
        }
        int length = i - from;
        return i < n && json[i] == '"' && length > 0 && length % 4 == 0 ? length : -1;
    }

    /** The same check over {@code length} bytes of {@code text} from {@code offset}, read as ASCII. */
    public static boolean isWellFormed(byte[] text, int offset, int length) {
        if (length == 0 || length % 4 != 0) {
            return false;
        }
        int last = offset + length - 1;
        int padding = text[last] == '=' ? (text[last - 1] == '=' ? 2 : 1) : 0;
        boolean[] alphabet = ALPHABET;
        // A byte at or above 0x80 is negative: OR-ing them leaves seen negative.
        int seen = 0;
        boolean miss = false;
        for (int i = offset, end = offset + length - padding; i < end; i++) {
            byte b = text[i];
            seen |= b;
            miss |= !alphabet[b & 0x7f];
        }
        return seen >= 0 && !miss;
    }
}
