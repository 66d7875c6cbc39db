package dev.imagegateway.generation;

import dev.imagegateway.error.UpstreamFailureException;
import dev.imagegateway.error.UpstreamFailureException.Reason;
import dev.imagegateway.image.Base64Bytes;
import dev.imagegateway.image.ImageType;
import java.util.Base64;

/**
 * The one check of an image the upstream sent, for whole and streamed answers alike: base64 that
 * decodes, and bytes that begin like an image of the promised type. Anything else is an invalid
 * answer (502), never passed on.
 */
final class UpstreamImages {

    private UpstreamImages() {
    }

    /** The image's bytes, decoded from the upstream's base64 and checked against {@code expected}. */
    static byte[] decoded(String base64, ImageType expected) {
        if (base64 == null) {
            throw invalid("The image backend sent an image without base64 image data.");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new UpstreamFailureException(Reason.INVALID_RESPONSE,
                    "The image backend's image data is not valid base64.", e);
        }
        return checked(bytes, expected);
    }

    /** The same for base64 kept as the bytes it arrived in. */
    static byte[] decoded(Base64Bytes base64, ImageType expected) {
        if (base64 == null) {
            throw invalid("The image backend sent an image without base64 image data.");
        }
        try {
            return checked(base64.decode(), expected);
        } catch (IllegalArgumentException e) {
            throw new UpstreamFailureException(Reason.INVALID_RESPONSE,
                    "The image backend's image data is not valid base64.", e);
        }
    }

    /** The bytes, if they start like an image of the expected type. */
    static byte[] checked(byte[] bytes, ImageType expected) {
        if (!expected.matches(bytes)) {
            throw invalid("The image backend's data is not a " + expected.extension().toUpperCase() + " image.");
        }
        return bytes;
    }

    private static UpstreamFailureException invalid(String message) {
        return new UpstreamFailureException(Reason.INVALID_RESPONSE, message);
    }
}
