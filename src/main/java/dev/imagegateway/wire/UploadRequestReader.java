package dev.imagegateway.wire;

import com.fasterxml.jackson.databind.JsonNode;
import dev.imagegateway.error.ErrorCodes;
import dev.imagegateway.error.InvalidRequestException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads the JSON bodies of the Uploads API as strictly as {@link RequestReader} reads an image request:
 * a field of the wrong JSON type, a missing required one or one the route does not take is a 400 naming
 * it. What the values may be is for the file rules to say.
 */
@ApplicationScoped
public class UploadRequestReader {

    private static final Set<String> CREATE_FIELDS = Set.of("filename", "purpose", "bytes", "mime_type",
            "expires_after");
    private static final Set<String> EXPIRES_AFTER_FIELDS = Set.of("anchor", "seconds");
    private static final Set<String> COMPLETE_FIELDS = Set.of("part_ids", "md5");

    private final RequestReader reader;

    public UploadRequestReader(RequestReader reader) {
        this.reader = reader;
    }

    public UploadCreateRequest create(byte[] body) {
        JsonNode root = reader.object(body);
        onlyFields(root, CREATE_FIELDS, "");
        String filename = required("filename", RequestReader.string(root, "filename"));
        String purpose = required("purpose", RequestReader.string(root, "purpose"));
        Long bytes = required("bytes", RequestReader.integer(root, "bytes"));
        String mimeType = required("mime_type", RequestReader.string(root, "mime_type"));
        JsonNode expiresAfter = root.get("expires_after");
        if (expiresAfter == null || expiresAfter.isNull()) {
            return new UploadCreateRequest(filename, purpose, bytes, mimeType, null, null);
        }
        if (!expiresAfter.isObject()) {
            throw RequestReader.wrongType("expires_after", "an object", expiresAfter);
        }
        onlyFields(expiresAfter, EXPIRES_AFTER_FIELDS, "expires_after.");
        JsonNode anchor = expiresAfter.get("anchor");
        if (anchor != null && !anchor.isNull() && !anchor.isTextual()) {
            throw RequestReader.wrongType("expires_after.anchor", "a string", anchor);
        }
        JsonNode seconds = expiresAfter.get("seconds");
        if (seconds != null && !seconds.isNull() && !(seconds.isIntegralNumber() && seconds.canConvertToLong())) {
            throw RequestReader.wrongType("expires_after.seconds", "an integer", seconds);
        }
        // Which of the two is missing is for the file rules to say, for forms and JSON alike.
        return new UploadCreateRequest(filename, purpose, bytes, mimeType,
                anchor == null || anchor.isNull() ? null : anchor.textValue(),
                seconds == null || seconds.isNull() ? null : seconds.longValue());
    }

    public UploadCompleteRequest complete(byte[] body) {
        JsonNode root = reader.object(body);
        onlyFields(root, COMPLETE_FIELDS, "");
        JsonNode partIds = root.get("part_ids");
        if (partIds == null || partIds.isNull()) {
            throw missing("part_ids");
        }
        if (!partIds.isArray()) {
            throw RequestReader.wrongType("part_ids", "an array", partIds);
        }
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < partIds.size(); i++) {
            if (!partIds.get(i).isTextual()) {
                throw RequestReader.wrongType("part_ids[" + i + "]", "a string", partIds.get(i));
            }
            ids.add(partIds.get(i).textValue());
        }
        return new UploadCompleteRequest(List.copyOf(ids), RequestReader.string(root, "md5"));
    }

    private static void onlyFields(JsonNode object, Set<String> fields, String prefix) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!fields.contains(name)) {
                throw new InvalidRequestException(prefix + name, ErrorCodes.UNKNOWN_PARAMETER,
                        "Unknown parameter: '" + prefix + name + "'.");
            }
        }
    }

    private static <T> T required(String name, T value) {
        if (value == null) {
            throw missing(name);
        }
        return value;
    }

    private static InvalidRequestException missing(String name) {
        return new InvalidRequestException(name, ErrorCodes.MISSING, "Missing required parameter: '" + name + "'.");
    }
}
