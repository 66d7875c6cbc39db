package dev.imagegateway.upstream;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The JSON mapper for reading what the upstream sends. Jackson refuses strings over 20 million
 * characters by default; one large image in base64 (a 3840x2160 PNG can be 25 MB, 33 million
 * characters) is over that, and refusing it would lose an image the caller paid for.
 */
final class UpstreamJson {

    /** Far above any single image the models produce, still a bound on what one answer may hold. */
    static final int MAX_STRING_LENGTH = 200_000_000;

    private UpstreamJson() {
    }

    static ObjectMapper readerOf(ObjectMapper application) {
        ObjectMapper copy = application.copy();
        copy.getFactory().setStreamReadConstraints(
                StreamReadConstraints.builder().maxStringLength(MAX_STRING_LENGTH).build());
        return copy;
    }
}
