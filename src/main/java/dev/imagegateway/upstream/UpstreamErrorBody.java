package dev.imagegateway.upstream;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The OpenAI error envelope as an upstream sends it; every part may be missing. */
@JsonIgnoreProperties(ignoreUnknown = true)
record UpstreamErrorBody(@JsonProperty("error") Detail error) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Detail(
            @JsonProperty("message") String message,
            @JsonProperty("type") String type,
            @JsonProperty("param") String param,
            @JsonProperty("code") String code) {
    }
}
