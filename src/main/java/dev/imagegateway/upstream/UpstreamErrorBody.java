package dev.imagegateway.upstream;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** The OpenAI error envelope as an upstream sends it; every part may be missing. */
@JsonIgnoreProperties(ignoreUnknown = true)
record UpstreamErrorBody(@JsonProperty("error") Detail error) {

    /** The error object; {@code other} holds its further fields ({@code moderation_details}, …) as given. */
    record Detail(
            @JsonProperty("message") String message,
            @JsonProperty("type") String type,
            @JsonProperty("param") String param,
            @JsonProperty("code") String code,
            @JsonAnySetter Map<String, Object> other) {

        static final Detail NONE = new Detail(null, null, null, null, null);
    }
}
