package dev.imagegateway.wire;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * What counts as well-formed text at the edge. Jackson's UTF-8 reader is lenient (overlong forms such as
 * {@code C0 AF} become {@code /}, code points past U+10FFFF something else) and JSON escapes can spell
 * lone surrogates that no UTF-8 can carry: the gateway refuses both rather than send on text the caller
 * did not write.
 */
public final class WellFormedText {

    private WellFormedText() {
    }

    /** Whether {@code bytes} are UTF-8 exactly as RFC 3629 defines it: no overlong form, surrogate or value past U+10FFFF. */
    public static boolean isUtf8(byte[] bytes) {
        return isUtf8(ByteBuffer.wrap(bytes));
    }

    public static boolean isUtf8(ByteBuffer bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes);
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** Whether {@code text} holds a surrogate that is not half of a pair. */
    public static boolean hasLoneSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}
