package dev.imagegateway.generation;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The model families the gateway serves. Dated snapshots ({@code gpt-image-2-2026-04-21}) follow their
 * family's rules; the name the caller gave is what goes upstream.
 */
public enum ImageModel {
    DALL_E_2("dall-e-2", 1000, List.of("256x256", "512x512", "1024x1024"), List.of("auto", "standard")),
    DALL_E_3("dall-e-3", 4000, List.of("1024x1024", "1792x1024", "1024x1792"), List.of("auto", "hd", "standard")),
    GPT_IMAGE_1("gpt-image-1", 32000, Sizes.GPT, Sizes.GPT_QUALITIES),
    GPT_IMAGE_1_MINI("gpt-image-1-mini", 32000, Sizes.GPT, Sizes.GPT_QUALITIES),
    GPT_IMAGE_1_5("gpt-image-1.5", 32000, Sizes.GPT, Sizes.GPT_QUALITIES),
    GPT_IMAGE_2("gpt-image-2", 32000, Sizes.GPT, Sizes.GPT_QUALITIES);

    private static final Pattern SNAPSHOT_SUFFIX = Pattern.compile("-\\d{4}-\\d{2}-\\d{2}");

    private final String id;
    private final int maxPromptLength;
    private final List<String> sizes;
    private final List<String> qualities;

    ImageModel(String id, int maxPromptLength, List<String> sizes, List<String> qualities) {
        this.id = id;
        this.maxPromptLength = maxPromptLength;
        this.sizes = sizes;
        this.qualities = qualities;
    }

    /** The family named by {@code name}, itself or one of its dated snapshots. */
    public static Optional<ImageModel> byName(String name) {
        return Arrays.stream(values())
                .filter(model -> name.equals(model.id)
                        || name.startsWith(model.id) && SNAPSHOT_SUFFIX.matcher(name.substring(model.id.length())).matches())
                .findFirst();
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(ImageModel::id).toList();
    }

    public String id() {
        return id;
    }

    public boolean isGptImage() {
        return this != DALL_E_2 && this != DALL_E_3;
    }

    public int maxPromptLength() {
        return maxPromptLength;
    }

    /** The fixed sizes the model accepts; {@code gpt-image-2} accepts more, see {@link RequestRules}. */
    public List<String> sizes() {
        return sizes;
    }

    public List<String> qualities() {
        return qualities;
    }

    /** Shared by the GPT image models; a nested class because enum constants cannot see static fields. */
    private static final class Sizes {
        static final List<String> GPT = List.of("1024x1024", "1536x1024", "1024x1536", "auto");
        static final List<String> GPT_QUALITIES = List.of("auto", "high", "medium", "low");
    }
}
