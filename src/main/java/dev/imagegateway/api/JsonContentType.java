package dev.imagegateway.api;

import dev.imagegateway.error.InvalidRequestException;
import jakarta.ws.rs.core.MediaType;

/**
 * JSON routes take {@code application/json} only, as OpenAI's do: a JSON body sent as {@code text/plain},
 * a form or XML is refused with OpenAI's {@code unsupported_content_type} rather than read anyway. A
 * request without the header is read as JSON (OpenAI does too; nothing is guessed from another type).
 */
final class JsonContentType {

    private static final String JSON = "application/json";

    private JsonContentType() {
    }

    static void require(String contentType) {
        if (contentType == null || contentType.isBlank() || isJson(contentType)) {
            return;
        }
        throw new InvalidRequestException(null, "unsupported_content_type", "Invalid Content-Type header ("
                + printable(contentType) + "). This API method only accepts 'application/json' requests, but you"
                + " specified the header 'Content-Type: " + printable(contentType) + "'. Please try again with a"
                + " supported content type.");
    }

    private static boolean isJson(String contentType) {
        // What the SDKs and curl send, without parsing: "application/json", perhaps with parameters.
        if (contentType.regionMatches(true, 0, JSON, 0, JSON.length())
                && (contentType.length() == JSON.length() || contentType.charAt(JSON.length()) == ';')) {
            return true;
        }
        try {
            MediaType type = MediaType.valueOf(contentType.strip());
            return type.getType().equalsIgnoreCase("application") && type.getSubtype().equalsIgnoreCase("json");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The header as given, cut to a readable length: it is the caller's own text and carries no secret. */
    private static String printable(String contentType) {
        String stripped = contentType.strip();
        return stripped.length() > 100 ? stripped.substring(0, 100) + "…" : stripped;
    }
}
