package dev.imagegateway.catalog;

import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The arithmetic of a free {@code WIDTHxHEIGHT} size; an absent limit is no limit.
 *
 * @param divisibleBy both edges must be multiples of this
 * @param maxAspectRatio the longer edge may be at most this many times the shorter one
 * @param maxEdge the longer edge's largest length in pixels
 * @param minPixels the smallest pixel count (width times height)
 * @param maxPixels the largest pixel count
 */
public record FreeSizes(
        OptionalLong divisibleBy,
        OptionalDouble maxAspectRatio,
        OptionalLong maxEdge,
        OptionalLong minPixels,
        OptionalLong maxPixels) {
}
