package dev.imagegateway.error;

/** The OpenAI error codes of the request rules, with the names OpenAI answers them by. */
public final class ErrorCodes {

    public static final String INVALID_VALUE = "invalid_value";
    public static final String INVALID_TYPE = "invalid_type";
    public static final String UNKNOWN_PARAMETER = "unknown_parameter";
    public static final String BELOW_MIN = "integer_below_min_value";
    public static final String ABOVE_MAX = "integer_above_max_value";
    public static final String MISSING = "missing_required_parameter";
    public static final String EMPTY_STRING = "empty_string";
    public static final String TOO_LONG = "string_above_max_length";
    public static final String PNG_COMPRESSION = "invalid_png_output_compression";
    public static final String ARRAY_TOO_LONG = "array_above_max_length";
    public static final String INVALID_IMAGE_FORMAT = "invalid_image_format";
    public static final String IMAGE_TOO_LARGE = "image_too_large";
    public static final String INVALID_IMAGE_DIMENSIONS = "invalid_image_dimensions";

    private ErrorCodes() {
    }
}
