package dev.nightjar.platform.incident;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The closed interval [from, to] an incident timeline covers. */
public record TimeWindow(Instant from, Instant to) {

    /** Longest window a timeline reads: a week of logs, events and alert samples is already a lot. */
    static final Duration MAX_LENGTH = Duration.ofDays(7);

    private static final Pattern RELATIVE = Pattern.compile("-(\\d{1,6})([smhd])");

    public TimeWindow {
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("--from " + from + " is after --to " + to);
        }
        if (Duration.between(from, to).compareTo(MAX_LENGTH) > 0) {
            throw new IllegalArgumentException("the window is longer than " + MAX_LENGTH.toDays() + " days");
        }
    }

    public boolean contains(Instant at) {
        return !at.isBefore(from) && !at.isAfter(to);
    }

    public Duration length() {
        return Duration.between(from, to);
    }

    /**
     * An instant given on the command line: ISO-8601 ({@code 2026-12-01T07:10:00Z}), {@code now}, or relative to
     * {@code now} as a minus sign, a number and a unit of s, m, h or d ({@code -15m}).
     */
    public static Instant parseInstant(String text, Instant now) {
        String trimmed = text.trim();
        if (trimmed.equals("now")) {
            return now;
        }
        Matcher relative = RELATIVE.matcher(trimmed);
        if (relative.matches()) {
            long amount = Long.parseLong(relative.group(1));
            Duration unit = switch (relative.group(2)) {
                case "s" -> Duration.ofSeconds(1);
                case "m" -> Duration.ofMinutes(1);
                case "h" -> Duration.ofHours(1);
                default -> Duration.ofDays(1);
            };
            return now.minus(unit.multipliedBy(amount));
        }
        try {
            return Instant.parse(trimmed);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not an instant: " + text
                    + " (use ISO-8601 like 2026-12-01T07:10:00Z, now, or relative like -15m, -2h, -1d)");
        }
    }
}
