package dev.nightjar.common.web;

import dev.nightjar.common.error.ApiException;
import dev.nightjar.contracts.id.Ids;

/** The cursor pagination parameters every list endpoint takes: {@code limit} and {@code starting_after}. */
public final class Pages {

    public static final int DEFAULT_LIMIT = 10;
    public static final int MAX_LIMIT = 100;

    private Pages() {
    }

    /** {@code limit}: 1 to 100, default 10; anything else is a 400 naming it. */
    public static int limit(String limit) {
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        // digits only: no sign, no spaces, no exponent (Integer.parseInt alone would take "+5")
        if (limit.length() <= 3 && !limit.isEmpty() && limit.chars().allMatch(c -> c >= '0' && c <= '9')) {
            int value = Integer.parseInt(limit);
            if (value >= 1 && value <= MAX_LIMIT) {
                return value;
            }
        }
        throw ApiException.invalidParameter("limit", "limit must be an integer from 1 to " + MAX_LIMIT + ".");
    }

    /** {@code starting_after}: an id of the listed kind, or absent (an empty value means the first page, returned as ""). */
    public static String cursor(String startingAfter, String prefix) {
        if (startingAfter == null || startingAfter.isEmpty()) {
            return "";
        }
        if (!Ids.isValid(startingAfter, prefix)) {
            throw ApiException.invalidParameter("starting_after", "starting_after must be an id from a previous page ("
                    + prefix + "_…).");
        }
        return startingAfter;
    }
}
