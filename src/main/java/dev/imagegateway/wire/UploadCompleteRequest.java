package dev.imagegateway.wire;

import java.util.List;

/** The body of {@code POST /v1/uploads/{id}/complete}: the parts in file order, and an optional hex MD5. */
public record UploadCompleteRequest(List<String> partIds, String md5) {
}
