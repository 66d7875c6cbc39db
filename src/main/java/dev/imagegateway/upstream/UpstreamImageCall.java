package dev.imagegateway.upstream;

/**
 * One request to the upstream's images API, in the form it goes out in: a generation (JSON to
 * {@code /v1/images/generations}), or an edit to {@code /v1/images/edits} as JSON or as
 * {@code multipart/form-data}, the form the caller used. Whole answers, streams, retries and fallbacks
 * treat all three alike.
 */
public sealed interface UpstreamImageCall {

    /** {@code POST /v1/images/generations}. */
    record Generation(UpstreamImageRequest request) implements UpstreamImageCall {
    }

    /** {@code POST /v1/images/edits} with a JSON body ({@code images: [{"image_url": …}]}). */
    record JsonEdit(UpstreamEditRequest request) implements UpstreamImageCall {
    }

    /** {@code POST /v1/images/edits} with a {@code multipart/form-data} body. */
    record MultipartEdit(UpstreamEditForm form) implements UpstreamImageCall {
    }
}
