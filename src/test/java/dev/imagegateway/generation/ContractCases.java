package dev.imagegateway.generation;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The request rules of docs/api.md as cases: for every rule a body that keeps it and one that breaks it.
 * Shared by the rule tests (no Quarkus) and the endpoint tests (through the Lambda handler).
 */
public final class ContractCases {

    private ContractCases() {
    }

    static String prompt(int length) {
        return "a".repeat(length);
    }

    /** Bodies that every rule accepts. */
    public static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("prompt only, dall-e-2 by default", "{\"prompt\":\"otter\"}"),
                Arguments.of("explicit nulls mean defaults", "{\"prompt\":\"otter\",\"n\":null,\"size\":null,\"model\":null}"),
                Arguments.of("dall-e-2 prompt of 1000", "{\"prompt\":\"" + prompt(1000) + "\"}"),
                Arguments.of("dall-e-3 prompt of 4000", "{\"model\":\"dall-e-3\",\"prompt\":\"" + prompt(4000) + "\"}"),
                Arguments.of("gpt prompt of 32000", "{\"model\":\"gpt-image-1\",\"prompt\":\"" + prompt(32000) + "\"}"),
                Arguments.of("n=10 dall-e-2", "{\"prompt\":\"x\",\"n\":10}"),
                Arguments.of("n=1 dall-e-3", "{\"model\":\"dall-e-3\",\"prompt\":\"x\",\"n\":1}"),
                Arguments.of("n=10 gpt-image-1", "{\"model\":\"gpt-image-1\",\"prompt\":\"x\",\"n\":10}"),
                Arguments.of("dall-e-2 quality standard", "{\"prompt\":\"x\",\"quality\":\"standard\"}"),
                Arguments.of("dall-e-2 quality auto", "{\"prompt\":\"x\",\"quality\":\"auto\"}"),
                Arguments.of("dall-e-3 quality hd", "{\"model\":\"dall-e-3\",\"prompt\":\"x\",\"quality\":\"hd\"}"),
                Arguments.of("dall-e-3 quality standard", "{\"model\":\"dall-e-3\",\"prompt\":\"x\",\"quality\":\"standard\"}"),
                Arguments.of("gpt quality high", "{\"model\":\"gpt-image-1\",\"prompt\":\"x\",\"quality\":\"high\"}"),
                Arguments.of("gpt quality medium", "{\"model\":\"gpt-image-1-mini\",\"prompt\":\"x\",\"quality\":\"medium\"}"),
                Arguments.of("gpt quality low", "{\"model\":\"gpt-image-1.5\",\"prompt\":\"x\",\"quality\":\"low\"}"),
                Arguments.of("gpt quality auto", "{\"model\":\"gpt-image-2\",\"prompt\":\"x\",\"quality\":\"auto\"}"),
                Arguments.of("response_format url", "{\"prompt\":\"x\",\"response_format\":\"url\"}"),
                Arguments.of("response_format b64_json", "{\"prompt\":\"x\",\"response_format\":\"b64_json\"}"),
                Arguments.of("gpt response_format url", "{\"model\":\"gpt-image-1.5\",\"prompt\":\"x\",\"response_format\":\"url\"}"),
                Arguments.of("output_format png", "{\"model\":\"gpt-image-1\",\"prompt\":\"x\",\"output_format\":\"png\"}"),
                Arguments.of("output_format jpeg", "{\"model\":\"gpt-image-1\",\"prompt\":\"x\",\"output_format\":\"jpeg\"}"),
                Arguments.of("output_format webp", "{\"model\":\"gpt-image-1\",\"prompt\":\"x\",\"output_format\":\"webp\"}"),
                Arguments.of("output_compression 0 jpeg", "{\"model\":\"gpt-image-1\",\"prompt\":\"x\",\"output_format\":\"jpeg\",\"output_compression\":0}"),
                Arguments.of("output_compression 100 webp", "{\"model\":\"gpt-image-1\",\"prompt\":\"x\",\"output_format\":\"webp\",\"output_compression\":100}"),
                Arguments.of("stream false", "{\"model\":\"gpt-image-1\",\"prompt\":\"x\",\"stream\":false}"),
                Arguments.of("partial_images 0", "{\"model\":\"gpt-image-1\",\"prompt\":\"x\",\"partial_images\":0}"),
                Arguments.of("partial_images 3", "{\"model\":\"gpt-image-1\",\"prompt\":\"x\",\"partial_images\":3}"),
                Arguments.of("dall-e-2 256x256", "{\"prompt\":\"x\",\"size\":\"256x256\"}"),
                Arguments.of("dall-e-2 512x512", "{\"prompt\":\"x\",\"size\":\"512x512\"}"),
                Arguments.of("dall-e-2 auto", "{\"prompt\":\"x\",\"size\":\"auto\"}"),
                Arguments.of("dall-e-3 1792x1024", "{\"model\":\"dall-e-3\",\"prompt\":\"x\",\"size\":\"1792x1024\"}"),
                Arguments.of("dall-e-3 1024x1792", "{\"model\":\"dall-e-3\",\"prompt\":\"x\",\"size\":\"1024x1792\"}"),
                Arguments.of("gpt 1536x1024", "{\"model\":\"gpt-image-1\",\"prompt\":\"x\",\"size\":\"1536x1024\"}"),
                Arguments.of("gpt 1024x1536", "{\"model\":\"gpt-image-1-mini\",\"prompt\":\"x\",\"size\":\"1024x1536\"}"),
                Arguments.of("gpt auto", "{\"model\":\"gpt-image-1.5\",\"prompt\":\"x\",\"size\":\"auto\"}"),
                Arguments.of("gpt-image-2 1536x864", "{\"model\":\"gpt-image-2\",\"prompt\":\"x\",\"size\":\"1536x864\"}"),
                Arguments.of("gpt-image-2 3840x2160", "{\"model\":\"gpt-image-2\",\"prompt\":\"x\",\"size\":\"3840x2160\"}"),
                Arguments.of("gpt-image-2 1:3", "{\"model\":\"gpt-image-2\",\"prompt\":\"x\",\"size\":\"1024x3072\"}"),
                Arguments.of("gpt-image-2 snapshot", "{\"model\":\"gpt-image-2-2026-04-21\",\"prompt\":\"x\",\"size\":\"2048x1152\"}"),
                Arguments.of("moderation low", "{\"model\":\"gpt-image-1\",\"prompt\":\"x\",\"moderation\":\"low\"}"),
                Arguments.of("moderation auto", "{\"model\":\"gpt-image-1\",\"prompt\":\"x\",\"moderation\":\"auto\"}"),
                Arguments.of("background transparent png", "{\"model\":\"gpt-image-1\",\"prompt\":\"x\",\"background\":\"transparent\"}"),
                Arguments.of("background transparent webp", "{\"model\":\"gpt-image-1\",\"prompt\":\"x\",\"background\":\"transparent\",\"output_format\":\"webp\"}"),
                Arguments.of("background opaque gpt-image-2", "{\"model\":\"gpt-image-2\",\"prompt\":\"x\",\"background\":\"opaque\"}"),
                Arguments.of("background auto", "{\"model\":\"gpt-image-1\",\"prompt\":\"x\",\"background\":\"auto\"}"),
                Arguments.of("style vivid", "{\"model\":\"dall-e-3\",\"prompt\":\"x\",\"style\":\"vivid\"}"),
                Arguments.of("style natural", "{\"model\":\"dall-e-3\",\"prompt\":\"x\",\"style\":\"natural\"}"),
                Arguments.of("user", "{\"prompt\":\"x\",\"user\":\"user-1234\"}"),
                Arguments.of("gpt-only field infers gpt-image-1", "{\"prompt\":\"x\",\"output_format\":\"webp\"}"));
    }

    /** Bodies that break exactly one rule, with the param and code the error must name. */
    public static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("missing prompt", "{}", "prompt", "missing_required_parameter"),
                Arguments.of("null prompt", "{\"prompt\":null}", "prompt", "missing_required_parameter"),
                Arguments.of("empty prompt", "{\"prompt\":\"\"}", "prompt", "invalid_value"),
                Arguments.of("blank prompt", "{\"prompt\":\"   \"}", "prompt", "invalid_value"),
                Arguments.of("prompt not a string", "{\"prompt\":5}", "prompt", "invalid_type"),
                Arguments.of("dall-e-2 prompt of 1001", "{\"prompt\":\"" + prompt(1001) + "\"}", "prompt", "invalid_value"),
                Arguments.of("dall-e-3 prompt of 4001", "{\"model\":\"dall-e-3\",\"prompt\":\"" + prompt(4001) + "\"}", "prompt", "invalid_value"),
                Arguments.of("gpt prompt of 32001", "{\"model\":\"gpt-image-1\",\"prompt\":\"" + prompt(32001) + "\"}", "prompt", "invalid_value"),
                Arguments.of("unknown model", "{\"model\":\"dall-e-4\",\"prompt\":\"x\"}", "model", "invalid_value"),
                Arguments.of("bad snapshot", "{\"model\":\"gpt-image-2-latest\",\"prompt\":\"x\"}", "model", "invalid_value"),
                Arguments.of("model not a string", "{\"model\":3,\"prompt\":\"x\"}", "model", "invalid_type"),
                Arguments.of("n=0", "{\"prompt\":\"x\",\"n\":0}", "n", "invalid_value"),
                Arguments.of("n=11", "{\"prompt\":\"x\",\"n\":11}", "n", "invalid_value"),
                Arguments.of("n negative", "{\"prompt\":\"x\",\"n\":-1}", "n", "invalid_value"),
                Arguments.of("n huge", "{\"prompt\":\"x\",\"n\":99999999999999999999999}", "n", "invalid_value"),
                Arguments.of("n decimal", "{\"prompt\":\"x\",\"n\":1.5}", "n", "invalid_type"),
                Arguments.of("n string", "{\"prompt\":\"x\",\"n\":\"2\"}", "n", "invalid_type"),
                Arguments.of("n=2 dall-e-3", "{\"model\":\"dall-e-3\",\"prompt\":\"x\",\"n\":2}", "n", "invalid_value"),
                Arguments.of("dall-e-2 quality hd", "{\"prompt\":\"x\",\"quality\":\"hd\"}", "quality", "invalid_value"),
                Arguments.of("dall-e-3 quality high", "{\"model\":\"dall-e-3\",\"prompt\":\"x\",\"quality\":\"high\"}", "quality", "invalid_value"),
                Arguments.of("gpt quality hd", "{\"model\":\"gpt-image-1\",\"prompt\":\"x\",\"quality\":\"hd\"}", "quality", "invalid_value"),
                Arguments.of("response_format png", "{\"prompt\":\"x\",\"response_format\":\"png\"}", "response_format", "invalid_value"),
                Arguments.of("output_format with dall-e-2", "{\"model\":\"dall-e-2\",\"prompt\":\"x\",\"output_format\":\"png\"}", "output_format", "invalid_value"),
                Arguments.of("output_format gif", "{\"model\":\"gpt-image-1\",\"prompt\":\"x\",\"output_format\":\"gif\"}", "output_format", "invalid_value"),
                Arguments.of("output_compression 101", "{\"model\":\"gpt-image-1\",\"prompt\":\"x\",\"output_format\":\"jpeg\",\"output_compression\":101}", "output_compression", "invalid_value"),
                Arguments.of("output_compression -1", "{\"model\":\"gpt-image-1\",\"prompt\":\"x\",\"output_format\":\"webp\",\"output_compression\":-1}", "output_compression", "invalid_value"),
                Arguments.of("output_compression with png", "{\"model\":\"gpt-image-1\",\"prompt\":\"x\",\"output_compression\":80}", "output_compression", "invalid_value"),
                Arguments.of("output_compression with dall-e-3", "{\"model\":\"dall-e-3\",\"prompt\":\"x\",\"output_compression\":80}", "output_compression", "invalid_value"),
                Arguments.of("stream with dall-e-2", "{\"model\":\"dall-e-2\",\"prompt\":\"x\",\"stream\":false}", "stream", "invalid_value"),
                Arguments.of("stream not a boolean", "{\"model\":\"gpt-image-1\",\"prompt\":\"x\",\"stream\":\"true\"}", "stream", "invalid_type"),
                Arguments.of("partial_images 4", "{\"model\":\"gpt-image-1\",\"prompt\":\"x\",\"partial_images\":4}", "partial_images", "invalid_value"),
                Arguments.of("partial_images -1", "{\"model\":\"gpt-image-1\",\"prompt\":\"x\",\"partial_images\":-1}", "partial_images", "invalid_value"),
                Arguments.of("partial_images with dall-e-3", "{\"model\":\"dall-e-3\",\"prompt\":\"x\",\"partial_images\":1}", "partial_images", "invalid_value"),
                Arguments.of("dall-e-2 1792x1024", "{\"prompt\":\"x\",\"size\":\"1792x1024\"}", "size", "invalid_value"),
                Arguments.of("dall-e-3 512x512", "{\"model\":\"dall-e-3\",\"prompt\":\"x\",\"size\":\"512x512\"}", "size", "invalid_value"),
                Arguments.of("gpt-image-1 custom size", "{\"model\":\"gpt-image-1\",\"prompt\":\"x\",\"size\":\"1536x864\"}", "size", "invalid_value"),
                Arguments.of("gpt-image-2 not /16", "{\"model\":\"gpt-image-2\",\"prompt\":\"x\",\"size\":\"1000x1000\"}", "size", "invalid_value"),
                Arguments.of("gpt-image-2 beyond 3:1", "{\"model\":\"gpt-image-2\",\"prompt\":\"x\",\"size\":\"1024x3088\"}", "size", "invalid_value"),
                Arguments.of("gpt-image-2 edge over 3840", "{\"model\":\"gpt-image-2\",\"prompt\":\"x\",\"size\":\"3856x1920\"}", "size", "invalid_value"),
                Arguments.of("gpt-image-2 too many pixels", "{\"model\":\"gpt-image-2\",\"prompt\":\"x\",\"size\":\"3840x2176\"}", "size", "invalid_value"),
                Arguments.of("gpt-image-2 words", "{\"model\":\"gpt-image-2\",\"prompt\":\"x\",\"size\":\"big\"}", "size", "invalid_value"),
                Arguments.of("gpt-image-2 zero", "{\"model\":\"gpt-image-2\",\"prompt\":\"x\",\"size\":\"0x0\"}", "size", "invalid_value"),
                Arguments.of("moderation high", "{\"model\":\"gpt-image-1\",\"prompt\":\"x\",\"moderation\":\"high\"}", "moderation", "invalid_value"),
                Arguments.of("moderation with dall-e-2", "{\"model\":\"dall-e-2\",\"prompt\":\"x\",\"moderation\":\"low\"}", "moderation", "invalid_value"),
                Arguments.of("background none", "{\"model\":\"gpt-image-1\",\"prompt\":\"x\",\"background\":\"none\"}", "background", "invalid_value"),
                Arguments.of("transparent jpeg", "{\"model\":\"gpt-image-1\",\"prompt\":\"x\",\"background\":\"transparent\",\"output_format\":\"jpeg\"}", "background", "invalid_value"),
                Arguments.of("transparent gpt-image-2", "{\"model\":\"gpt-image-2\",\"prompt\":\"x\",\"background\":\"transparent\"}", "background", "invalid_value"),
                Arguments.of("background with dall-e-3", "{\"model\":\"dall-e-3\",\"prompt\":\"x\",\"background\":\"opaque\"}", "background", "invalid_value"),
                Arguments.of("style with dall-e-2", "{\"prompt\":\"x\",\"style\":\"vivid\"}", "style", "invalid_value"),
                Arguments.of("style with gpt", "{\"model\":\"gpt-image-1\",\"prompt\":\"x\",\"style\":\"vivid\"}", "style", "invalid_value"),
                Arguments.of("style bold", "{\"model\":\"dall-e-3\",\"prompt\":\"x\",\"style\":\"bold\"}", "style", "invalid_value"),
                Arguments.of("user not a string", "{\"prompt\":\"x\",\"user\":5}", "user", "invalid_type"),
                Arguments.of("unknown field", "{\"prompt\":\"x\",\"foo\":1}", "foo", "unknown_parameter"),
                Arguments.of("malformed JSON", "{\"prompt\":", null, "invalid_json"),
                Arguments.of("duplicate key", "{\"prompt\":\"x\",\"prompt\":\"y\"}", null, "invalid_json"),
                Arguments.of("trailing garbage", "{\"prompt\":\"x\"} {}", null, "invalid_json"),
                Arguments.of("empty body", "", null, "invalid_json"),
                Arguments.of("array body", "[{\"prompt\":\"x\"}]", null, "invalid_type"));
    }
}
