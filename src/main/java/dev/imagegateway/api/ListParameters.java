package dev.imagegateway.api;

import dev.imagegateway.error.ErrorCodes;
import dev.imagegateway.error.InvalidRequestException;

/**
 * The query of a list route ({@code GET /v1/files}): {@code limit} from 1 to {@code maxLimit} (default
 * {@code maxLimit}), {@code order} {@code asc} or {@code desc} (default {@code desc}, newest first) and
 * {@code after}, the id the page starts after. Values come as text; a wrong one is a 400 naming it.
 */
record ListParameters(int limit, boolean ascending, String after) {

    static ListParameters of(String limit, String order, String after, int maxLimit) {
        return new ListParameters(limit(limit, maxLimit, maxLimit), ascending(order), after == null || after.isEmpty() ? null
                : after);
    }

    /** {@code limit} from 1 to {@code maxLimit}; absent or empty is {@code defaultLimit}. Shared by every list route. */
    static int limit(String text, int defaultLimit, int maxLimit) {
        if (text == null || text.isEmpty()) {
            return defaultLimit;
        }
        long value;
        try {
            value = Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("limit", ErrorCodes.INVALID_TYPE,
                    "Invalid type for 'limit': expected an integer, but got a string instead.");
        }
        if (value < 1) {
            throw new InvalidRequestException("limit", ErrorCodes.BELOW_MIN, "Invalid 'limit': integer below minimum"
                    + " value. Expected a value >= 1, but got " + value + " instead.");
        }
        if (value > maxLimit) {
            throw new InvalidRequestException("limit", ErrorCodes.ABOVE_MAX, "Invalid 'limit': integer above maximum"
                    + " value. Expected a value <= " + maxLimit + ", but got " + value + " instead.");
        }
        return (int) value;
    }

    private static boolean ascending(String order) {
        if (order == null || order.isEmpty() || order.equals("desc")) {
            return false;
        }
        if (order.equals("asc")) {
            return true;
        }
        throw new InvalidRequestException("order", ErrorCodes.INVALID_VALUE,
                "Invalid value: '" + order + "'. Supported values are: 'asc' and 'desc'.");
    }
}
