package dev.nightjar.platform;

import java.util.Map;

/** Whole numbers the launcher reads from environment variables, refused by name when they are anything else. */
public final class EnvironmentNumbers {

    private EnvironmentNumbers() {
    }

    /**
     * The whole number in variable {@code name} of {@code environment}, around any spaces; {@code fallback} when it is
     * unset or blank. Anything but a whole number from {@code min} to {@code max} is refused with
     * "{@code <name>} must be {@code <expected>}, not '{@code <value>}'".
     */
    public static long wholeNumber(Map<String, String> environment, String name, long fallback, long min, long max,
                                   String expected) {
        String value = environment.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            long number = Long.parseLong(value.strip());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // not a whole number: refused below, as one out of range is
        }
        throw new IllegalArgumentException(name + " must be " + expected + ", not '" + value + "'");
    }
}
