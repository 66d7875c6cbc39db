package dev.imagegateway.generation;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The request rules of docs/api.md as cases, with the built-in catalog and the default policy for
 * unknown models (pass-through): for every rule a body that keeps it and one that breaks it. Shared by
 * the rule tests (no Quarkus) and the endpoint tests (through the Lambda handler).
 */
public final class ContractCases {

    static final String REQUEST = "invalid_request_error";
    static final String USER = "image_generation_user_error";

    private ContractCases() {
    }

    static String prompt(int length) {
        return "a".repeat(length);
    }

    /** A body for {@code model} with the prompt "x" and {@code fields} (JSON members, without braces). */
    static String body(String model, String fields) {
        return "{\"model\":\"" + model + "\",\"prompt\":\"x\"" + (fields.isEmpty() ? "" : "," + fields) + "}";
    }

    /** Bodies that every rule accepts. */
    public static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("prompt only, dall-e-2 by default", "{\"prompt\":\"otter\"}"),
                Arguments.of("explicit nulls mean defaults", "{\"prompt\":\"otter\",\"n\":null,\"size\":null,\"model\":null}"),
                Arguments.of("whitespace prompt, as OpenAI accepts it", "{\"prompt\":\"   \"}"),
                Arguments.of("dall-e-2 prompt of 1000", "{\"prompt\":\"" + prompt(1000) + "\"}"),
                Arguments.of("dall-e-3 prompt of 4000", "{\"model\":\"dall-e-3\",\"prompt\":\"" + prompt(4000) + "\"}"),
                Arguments.of("gpt prompt of 32000", "{\"model\":\"gpt-image-1\",\"prompt\":\"" + prompt(32000) + "\"}"),
                Arguments.of("n=10 dall-e-2", "{\"prompt\":\"x\",\"n\":10}"),
                Arguments.of("n=1 dall-e-3", body("dall-e-3", "\"n\":1")),
                Arguments.of("n=10 gpt-image-1", body("gpt-image-1", "\"n\":10")),
                Arguments.of("dall-e-2 quality standard", "{\"prompt\":\"x\",\"quality\":\"standard\"}"),
                Arguments.of("dall-e-2 quality auto", "{\"prompt\":\"x\",\"quality\":\"auto\"}"),
                Arguments.of("dall-e-3 quality hd", body("dall-e-3", "\"quality\":\"hd\"")),
                Arguments.of("dall-e-3 quality standard", body("dall-e-3", "\"quality\":\"standard\"")),
                Arguments.of("gpt quality high", body("gpt-image-1", "\"quality\":\"high\"")),
                Arguments.of("gpt quality medium", body("gpt-image-1-mini", "\"quality\":\"medium\"")),
                Arguments.of("gpt quality low", body("gpt-image-1.5", "\"quality\":\"low\"")),
                Arguments.of("gpt quality auto", body("gpt-image-2", "\"quality\":\"auto\"")),
                Arguments.of("2.5 quality xhigh", body("gpt-image-2.5-flare", "\"quality\":\"xhigh\"")),
                Arguments.of("2.5 quality max", body("gpt-image-2.5-sunburst", "\"quality\":\"max\"")),
                Arguments.of("2.6 quality max", body("gpt-image-2.6-flare", "\"quality\":\"max\"")),
                Arguments.of("2.6 complexity, any string", body("gpt-image-2.6-sunburst", "\"complexity\":\"intricate\"")),
                Arguments.of("2.6 complexity null means its default", body("gpt-image-2.6-flare", "\"complexity\":null")),
                Arguments.of("chatgpt-image-latest", body("chatgpt-image-latest", "\"size\":\"1024x1536\"")),
                Arguments.of("response_format url", "{\"prompt\":\"x\",\"response_format\":\"url\"}"),
                Arguments.of("response_format b64_json", "{\"prompt\":\"x\",\"response_format\":\"b64_json\"}"),
                Arguments.of("gpt response_format url", body("gpt-image-1.5", "\"response_format\":\"url\"")),
                Arguments.of("output_format png", body("gpt-image-1", "\"output_format\":\"png\"")),
                Arguments.of("output_format jpeg", body("gpt-image-1", "\"output_format\":\"jpeg\"")),
                Arguments.of("output_format webp", body("gpt-image-1", "\"output_format\":\"webp\"")),
                Arguments.of("2.5 output_format gif", body("gpt-image-2.5-flare", "\"output_format\":\"gif\",\"response_format\":\"url\"")),
                Arguments.of("2.6 output_format svg", body("gpt-image-2.6-flare", "\"output_format\":\"svg\",\"response_format\":\"url\"")),
                Arguments.of("output_compression 0 jpeg", body("gpt-image-1", "\"output_format\":\"jpeg\",\"output_compression\":0")),
                Arguments.of("output_compression 100 webp", body("gpt-image-1", "\"output_format\":\"webp\",\"output_compression\":100")),
                Arguments.of("output_compression 100 png", body("gpt-image-2", "\"output_format\":\"png\",\"output_compression\":100")),
                Arguments.of("output_compression without a format", body("gpt-image-1", "\"output_compression\":80")),
                Arguments.of("stream false", body("gpt-image-1", "\"stream\":false")),
                Arguments.of("partial_images 0", body("gpt-image-1", "\"partial_images\":0")),
                Arguments.of("partial_images 3", body("gpt-image-1", "\"partial_images\":3")),
                Arguments.of("dall-e-2 256x256", "{\"prompt\":\"x\",\"size\":\"256x256\"}"),
                Arguments.of("dall-e-2 512x512", "{\"prompt\":\"x\",\"size\":\"512x512\"}"),
                Arguments.of("dall-e-2 auto", "{\"prompt\":\"x\",\"size\":\"auto\"}"),
                Arguments.of("dall-e-3 1792x1024", body("dall-e-3", "\"size\":\"1792x1024\"")),
                Arguments.of("dall-e-3 1024x1792", body("dall-e-3", "\"size\":\"1024x1792\"")),
                Arguments.of("gpt 1536x1024", body("gpt-image-1", "\"size\":\"1536x1024\"")),
                Arguments.of("gpt 1024x1536", body("gpt-image-1-mini", "\"size\":\"1024x1536\"")),
                Arguments.of("gpt auto", body("gpt-image-1.5", "\"size\":\"auto\"")),
                Arguments.of("gpt-image-2 1536x864", body("gpt-image-2", "\"size\":\"1536x864\"")),
                Arguments.of("gpt-image-2 3840x2160, the most pixels", body("gpt-image-2", "\"size\":\"3840x2160\"")),
                Arguments.of("gpt-image-2 1024x640, the fewest pixels", body("gpt-image-2", "\"size\":\"1024x640\"")),
                Arguments.of("gpt-image-2 1:3", body("gpt-image-2", "\"size\":\"1024x3072\"")),
                Arguments.of("gpt-image-2 snapshot", body("gpt-image-2-2026-04-21", "\"size\":\"2048x1152\"")),
                Arguments.of("2.5 snapshot", body("gpt-image-2.5-sunburst-2026-09-08", "\"size\":\"2048x1152\"")),
                Arguments.of("moderation low", body("gpt-image-1", "\"moderation\":\"low\"")),
                Arguments.of("moderation auto", body("gpt-image-1", "\"moderation\":\"auto\"")),
                Arguments.of("background transparent png", body("gpt-image-1", "\"background\":\"transparent\"")),
                Arguments.of("background transparent webp", body("gpt-image-1", "\"background\":\"transparent\",\"output_format\":\"webp\"")),
                Arguments.of("background transparent gpt-image-2, the upstream decides", body("gpt-image-2", "\"background\":\"transparent\"")),
                Arguments.of("background opaque gpt-image-2", body("gpt-image-2", "\"background\":\"opaque\"")),
                Arguments.of("background auto", body("gpt-image-1", "\"background\":\"auto\"")),
                Arguments.of("style vivid", body("dall-e-3", "\"style\":\"vivid\"")),
                Arguments.of("style natural", body("dall-e-3", "\"style\":\"natural\"")),
                Arguments.of("user", "{\"prompt\":\"x\",\"user\":\"user-1234\"}"),
                Arguments.of("gpt-only field picks gpt-image-1", "{\"prompt\":\"x\",\"output_format\":\"webp\"}"),
                Arguments.of("unknown model passes through", body("dall-e-4", "")),
                Arguments.of("undated snapshot passes through", body("gpt-image-2-latest", "")),
                Arguments.of("unknown model, any size and quality", body("gpt-image-9", "\"size\":\"999x999\",\"quality\":\"ultra\"")));
    }

    /** Bodies that break exactly one rule, with the type, param and code the error must name. */
    public static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("missing prompt", "{}", REQUEST, "prompt", "missing_required_parameter"),
                Arguments.of("null prompt", "{\"prompt\":null}", REQUEST, "prompt", "invalid_type"),
                Arguments.of("empty prompt", "{\"prompt\":\"\"}", REQUEST, "prompt", "empty_string"),
                Arguments.of("prompt not a string", "{\"prompt\":5}", REQUEST, "prompt", "invalid_type"),
                Arguments.of("dall-e-2 prompt of 1001", "{\"prompt\":\"" + prompt(1001) + "\"}", REQUEST, "prompt", "string_above_max_length"),
                Arguments.of("dall-e-3 prompt of 4001", "{\"model\":\"dall-e-3\",\"prompt\":\"" + prompt(4001) + "\"}", REQUEST, "prompt", "string_above_max_length"),
                Arguments.of("gpt prompt of 32001", "{\"model\":\"gpt-image-1\",\"prompt\":\"" + prompt(32001) + "\"}", REQUEST, "prompt", "string_above_max_length"),
                Arguments.of("unknown model prompt of 32001", "{\"model\":\"gpt-image-9\",\"prompt\":\"" + prompt(32001) + "\"}", REQUEST, "prompt", "string_above_max_length"),
                Arguments.of("empty model", body("", ""), REQUEST, "model", "empty_string"),
                Arguments.of("model not a string", "{\"model\":3,\"prompt\":\"x\"}", REQUEST, "model", "invalid_type"),
                Arguments.of("n=0", "{\"prompt\":\"x\",\"n\":0}", REQUEST, "n", "integer_below_min_value"),
                Arguments.of("n=11", "{\"prompt\":\"x\",\"n\":11}", REQUEST, "n", "integer_above_max_value"),
                Arguments.of("n negative", "{\"prompt\":\"x\",\"n\":-1}", REQUEST, "n", "integer_below_min_value"),
                Arguments.of("n huge", "{\"prompt\":\"x\",\"n\":99999999999999999999999}", REQUEST, "n", "integer_above_max_value"),
                Arguments.of("n hugely negative", "{\"prompt\":\"x\",\"n\":-99999999999999999999999}", REQUEST, "n", "integer_below_min_value"),
                Arguments.of("n decimal", "{\"prompt\":\"x\",\"n\":1.5}", REQUEST, "n", "invalid_type"),
                Arguments.of("n string", "{\"prompt\":\"x\",\"n\":\"2\"}", REQUEST, "n", "invalid_type"),
                Arguments.of("n=2 dall-e-3", body("dall-e-3", "\"n\":2"), REQUEST, "n", "integer_above_max_value"),
                Arguments.of("n=11 unknown model", body("gpt-image-9", "\"n\":11"), REQUEST, "n", "integer_above_max_value"),
                Arguments.of("dall-e-2 quality hd", "{\"prompt\":\"x\",\"quality\":\"hd\"}", REQUEST, "quality", "invalid_value"),
                Arguments.of("dall-e-3 quality high", body("dall-e-3", "\"quality\":\"high\""), REQUEST, "quality", "invalid_value"),
                Arguments.of("gpt quality hd", body("gpt-image-1", "\"quality\":\"hd\""), REQUEST, "quality", "invalid_value"),
                Arguments.of("gpt-image-2 quality xhigh", body("gpt-image-2", "\"quality\":\"xhigh\""), REQUEST, "quality", "invalid_value"),
                Arguments.of("2.5 quality ultra", body("gpt-image-2.5-flare", "\"quality\":\"ultra\""), REQUEST, "quality", "invalid_value"),
                Arguments.of("response_format png", "{\"prompt\":\"x\",\"response_format\":\"png\"}", REQUEST, "response_format", "invalid_value"),
                Arguments.of("output_format with dall-e-2", body("dall-e-2", "\"output_format\":\"png\""), REQUEST, "output_format", "unknown_parameter"),
                Arguments.of("output_format gif with gpt-image-1", body("gpt-image-1", "\"output_format\":\"gif\""), REQUEST, "output_format", "invalid_value"),
                Arguments.of("output_compression 101", body("gpt-image-1", "\"output_format\":\"jpeg\",\"output_compression\":101"), REQUEST, "output_compression", "integer_above_max_value"),
                Arguments.of("output_compression -1", body("gpt-image-1", "\"output_format\":\"webp\",\"output_compression\":-1"), REQUEST, "output_compression", "integer_below_min_value"),
                Arguments.of("png with output_compression 80", body("gpt-image-1", "\"output_format\":\"png\",\"output_compression\":80"), USER, "output_compression", "invalid_png_output_compression"),
                Arguments.of("output_compression with dall-e-3", body("dall-e-3", "\"output_compression\":80"), REQUEST, "output_compression", "unknown_parameter"),
                Arguments.of("stream with dall-e-2", body("dall-e-2", "\"stream\":false"), REQUEST, "stream", "unknown_parameter"),
                Arguments.of("stream not a boolean", body("gpt-image-1", "\"stream\":\"true\""), REQUEST, "stream", "invalid_type"),
                Arguments.of("partial_images 4", body("gpt-image-1", "\"partial_images\":4"), REQUEST, "partial_images", "integer_above_max_value"),
                Arguments.of("partial_images -1", body("gpt-image-1", "\"partial_images\":-1"), REQUEST, "partial_images", "integer_below_min_value"),
                Arguments.of("partial_images with dall-e-3", body("dall-e-3", "\"partial_images\":1"), REQUEST, "partial_images", "unknown_parameter"),
                Arguments.of("dall-e-2 1792x1024", "{\"prompt\":\"x\",\"size\":\"1792x1024\"}", REQUEST, "size", "invalid_value"),
                Arguments.of("dall-e-3 512x512", body("dall-e-3", "\"size\":\"512x512\""), REQUEST, "size", "invalid_value"),
                Arguments.of("gpt-image-1 free size", body("gpt-image-1", "\"size\":\"1536x864\""), USER, "size", "invalid_value"),
                Arguments.of("gpt-image-2 not /16", body("gpt-image-2", "\"size\":\"1000x1000\""), USER, "size", "invalid_value"),
                Arguments.of("gpt-image-2 beyond 3:1", body("gpt-image-2", "\"size\":\"1024x3088\""), USER, "size", "invalid_value"),
                Arguments.of("gpt-image-2 edge over 3840", body("gpt-image-2", "\"size\":\"3856x1920\""), USER, "size", "invalid_value"),
                Arguments.of("gpt-image-2 too many pixels", body("gpt-image-2", "\"size\":\"3840x2176\""), USER, "size", "invalid_value"),
                Arguments.of("gpt-image-2 too few pixels", body("gpt-image-2", "\"size\":\"1024x624\""), USER, "size", "invalid_value"),
                Arguments.of("2.6 too few pixels", body("gpt-image-2.6-sunburst", "\"size\":\"512x512\""), USER, "size", "invalid_value"),
                Arguments.of("gpt-image-2 words", body("gpt-image-2", "\"size\":\"big\""), USER, "size", "invalid_value"),
                Arguments.of("gpt-image-2 zero", body("gpt-image-2", "\"size\":\"0x0\""), USER, "size", "invalid_value"),
                Arguments.of("moderation high", body("gpt-image-1", "\"moderation\":\"high\""), REQUEST, "moderation", "invalid_value"),
                Arguments.of("moderation with dall-e-2", body("dall-e-2", "\"moderation\":\"low\""), REQUEST, "moderation", "unknown_parameter"),
                Arguments.of("background none", body("gpt-image-1", "\"background\":\"none\""), REQUEST, "background", "invalid_value"),
                Arguments.of("transparent jpeg", body("gpt-image-1", "\"background\":\"transparent\",\"output_format\":\"jpeg\""), REQUEST, "background", "invalid_value"),
                Arguments.of("background with dall-e-3", body("dall-e-3", "\"background\":\"opaque\""), REQUEST, "background", "unknown_parameter"),
                Arguments.of("style with dall-e-2", "{\"prompt\":\"x\",\"style\":\"vivid\"}", REQUEST, "style", "unknown_parameter"),
                Arguments.of("style with gpt", body("gpt-image-1", "\"style\":\"vivid\""), REQUEST, "style", "unknown_parameter"),
                Arguments.of("style with an unknown model", body("gpt-image-9", "\"style\":\"vivid\""), REQUEST, "style", "unknown_parameter"),
                Arguments.of("style bold", body("dall-e-3", "\"style\":\"bold\""), REQUEST, "style", "invalid_value"),
                Arguments.of("user not a string", "{\"prompt\":\"x\",\"user\":5}", REQUEST, "user", "invalid_type"),
                Arguments.of("unknown field", "{\"prompt\":\"x\",\"foo\":1}", REQUEST, "foo", "unknown_parameter"),
                Arguments.of("complexity with gpt-image-2", body("gpt-image-2", "\"complexity\":\"high\""), REQUEST, "complexity", "unknown_parameter"),
                Arguments.of("complexity not a string", body("gpt-image-2.6-flare", "\"complexity\":5"), REQUEST, "complexity", "invalid_type"),
                Arguments.of("malformed JSON", "{\"prompt\":", REQUEST, null, null),
                Arguments.of("duplicate key", "{\"prompt\":\"x\",\"prompt\":\"y\"}", REQUEST, null, null),
                Arguments.of("trailing garbage", "{\"prompt\":\"x\"} {}", REQUEST, null, null),
                Arguments.of("empty body", "", REQUEST, null, null),
                Arguments.of("array body", "[{\"prompt\":\"x\"}]", REQUEST, null, "invalid_type"));
    }
}
