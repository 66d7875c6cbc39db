package dev.imagegateway.wire;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * Token usage of a GPT image generation, passed from the upstream to the caller as given: the fields
 * OpenAI documents by name, and whatever else the upstream counts ({@code cached_tokens}, a new kind of
 * token) in {@code other}, so that no figure the caller is billed by is dropped on the way.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Usage(
        @JsonProperty("input_tokens") Long inputTokens,
        @JsonProperty("output_tokens") Long outputTokens,
        @JsonProperty("total_tokens") Long totalTokens,
        @JsonProperty("input_tokens_details") InputDetails inputTokensDetails,
        @JsonProperty("output_tokens_details") OutputDetails outputTokensDetails,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> other) {

    public Usage(Long inputTokens, Long outputTokens, Long totalTokens, InputDetails inputTokensDetails,
            OutputDetails outputTokensDetails) {
        this(inputTokens, outputTokens, totalTokens, inputTokensDetails, outputTokensDetails, null);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record InputDetails(
            @JsonProperty("text_tokens") Long textTokens,
            @JsonProperty("image_tokens") Long imageTokens,
            @JsonAnySetter @JsonAnyGetter Map<String, Object> other) {

        public InputDetails(Long textTokens, Long imageTokens) {
            this(textTokens, imageTokens, null);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OutputDetails(
            @JsonProperty("image_tokens") Long imageTokens,
            @JsonProperty("text_tokens") Long textTokens,
            @JsonAnySetter @JsonAnyGetter Map<String, Object> other) {

        public OutputDetails(Long imageTokens, Long textTokens) {
            this(imageTokens, textTokens, null);
        }
    }
}
