package dev.imagegateway.generation;

import dev.imagegateway.catalog.FieldRule;
import dev.imagegateway.catalog.FreeSizes;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Whether a model can draw a {@code size}: its fixed sizes, its {@code auto}, or its free-size arithmetic. */
final class SizeRules {

    private static final Pattern DIMENSIONS = Pattern.compile("([1-9][0-9]{0,4})x([1-9][0-9]{0,4})");

    private SizeRules() {
    }

    /** Why the model of {@code rule} cannot draw {@code size}, if it cannot. */
    static Optional<String> problem(String size, FieldRule rule) {
        Optional<List<String>> fixed = rule.values();
        if (fixed.isEmpty() && rule.freeSizes().isEmpty()) {
            return Optional.empty(); // the catalog places no limit: the upstream decides
        }
        if (fixed.isPresent() && fixed.get().contains(size) || size.equals("auto") && rule.autoSize().isPresent()) {
            return Optional.empty();
        }
        if (rule.freeSizes().isPresent()) {
            return freeSizeProblem(size, rule.freeSizes().get())
                    .map(problem -> "Invalid value for 'size': '" + size + "'. " + problem);
        }
        return Optional.of("Invalid value: '" + size + "'. Supported values are: "
                + FieldChecks.quoted(fixed.get()) + ".");
    }

    /** Why a {@code WIDTHxHEIGHT} breaks the free-size arithmetic, if it does. */
    static Optional<String> freeSizeProblem(String size, FreeSizes free) {
        Matcher matcher = DIMENSIONS.matcher(size);
        if (!matcher.matches()) {
            return Optional.of("Expected 'auto', one of the fixed sizes, or WIDTHxHEIGHT.");
        }
        long width = Long.parseLong(matcher.group(1));
        long height = Long.parseLong(matcher.group(2));
        if (free.divisibleBy().isPresent()) {
            long by = free.divisibleBy().getAsLong();
            if (width % by != 0 || height % by != 0) {
                return Optional.of("Width and height must both be divisible by " + by + ".");
            }
        }
        if (free.maxAspectRatio().isPresent()) {
            double ratio = free.maxAspectRatio().getAsDouble();
            if (width > ratio * height || height > ratio * width) {
                String shown = ratio == Math.rint(ratio) ? String.valueOf((long) ratio) : String.valueOf(ratio);
                return Optional.of("The aspect ratio must be between 1:" + shown + " and " + shown + ":1.");
            }
        }
        if (free.maxEdge().isPresent() && Math.max(width, height) > free.maxEdge().getAsLong()) {
            return Optional.of("The longer edge must be at most " + free.maxEdge().getAsLong() + " pixels.");
        }
        long pixels = width * height;
        if (free.minPixels().isPresent() && pixels < free.minPixels().getAsLong()
                || free.maxPixels().isPresent() && pixels > free.maxPixels().getAsLong()) {
            return Optional.of("The image must have " + pixelRange(free) + " pixels, but " + size + " has "
                    + pixels + ".");
        }
        return Optional.empty();
    }

    private static String pixelRange(FreeSizes free) {
        if (free.minPixels().isPresent() && free.maxPixels().isPresent()) {
            return "between " + free.minPixels().getAsLong() + " and " + free.maxPixels().getAsLong();
        }
        return free.minPixels().isPresent() ? "at least " + free.minPixels().getAsLong()
                : "at most " + free.maxPixels().getAsLong();
    }
}
