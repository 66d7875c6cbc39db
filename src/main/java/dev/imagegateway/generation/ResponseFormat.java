package dev.imagegateway.generation;

/** How images are returned to the caller. */
public enum ResponseFormat {
    /** A pre-signed link to the object the gateway stored. */
    URL("url"),
    /** The image bytes in base64, inline. */
    B64_JSON("b64_json");

    private final String wireName;

    ResponseFormat(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The format named {@code wireName} ({@code url} or {@code b64_json}). */
    static ResponseFormat of(String wireName) {
        return wireName.equals(URL.wireName) ? URL : B64_JSON;
    }
}
