package dev.imagegateway.catalog;

import java.util.List;

/**
 * What a model takes as input to {@code POST /v1/images/edits}; a model whose entry has none does not edit.
 *
 * @param maxImages the most input images one edit may carry (16 for GPT image models, 1 for {@code dall-e-2})
 * @param imageFormats the input formats accepted, by {@code output_format} name ({@code png}, {@code jpeg},
 *        {@code webp})
 * @param maxImageBytes the largest input image, in bytes; an image must be smaller than this
 * @param square whether each input image must be square ({@code dall-e-2})
 * @param mask whether the model takes a {@code mask}
 * @param maxMaskBytes the largest mask, in bytes; a mask is always a PNG with an alpha channel
 * @param json whether the model takes the JSON form ({@code images: [{image_url}|{file_id}]}); OpenAI
 *        edits {@code dall-e-2} from multipart uploads only
 */
public record EditLimits(
        int maxImages,
        List<String> imageFormats,
        long maxImageBytes,
        boolean square,
        boolean mask,
        long maxMaskBytes,
        boolean json) {
}
