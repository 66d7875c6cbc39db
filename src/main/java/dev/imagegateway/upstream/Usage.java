package dev.imagegateway.upstream;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Token usage of a GPT image generation, passed from the upstream to the caller as given. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Usage(
        @JsonProperty("input_tokens") Long inputTokens,
        @JsonProperty("output_tokens") Long outputTokens,
        @JsonProperty("total_tokens") Long totalTokens,
        @JsonProperty("input_tokens_details") InputDetails inputTokensDetails,
        @JsonProperty("output_tokens_details") OutputDetails outputTokensDetails) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record InputDetails(
            @JsonProperty("text_tokens") Long textTokens,
            @JsonProperty("image_tokens") Long imageTokens) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record OutputDetails(
            @JsonProperty("image_tokens") Long imageTokens,
            @JsonProperty("text_tokens") Long textTokens) {
    }
}
