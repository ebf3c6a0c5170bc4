package dev.nightjar.platform.seed;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * What {@code ./nightjar seed} writes: {@code payments} payments of {@code merchants} merchants spread over the
 * {@code months} (30 days each) before {@code until}, generated from {@code seed}, written {@code batchSize}
 * payments per transaction. The same options make the same history; {@code until} is the moment of the run,
 * so a second run writes a second history with ids of its own.
 */
public record SeedOptions(int payments, long seed, int merchants, int months, Instant until, int batchSize) {

    public static final int MAX_PAYMENTS = 20_000_000;
    public static final int MAX_MERCHANTS = 10_000;
    public static final int MAX_MONTHS = 24;
    public static final int MAX_BATCH_SIZE = 100_000;
    static final String USAGE = "seed --payments N [--seed S] [--merchants K] [--months M] [--batch B]";

    public SeedOptions {
        require(payments >= 1 && payments <= MAX_PAYMENTS, "--payments must be from 1 to " + MAX_PAYMENTS);
        require(merchants >= 1 && merchants <= MAX_MERCHANTS, "--merchants must be from 1 to " + MAX_MERCHANTS);
        require(months >= 1 && months <= MAX_MONTHS, "--months must be from 1 to " + MAX_MONTHS);
        require(batchSize >= 1 && batchSize <= MAX_BATCH_SIZE, "--batch must be from 1 to " + MAX_BATCH_SIZE);
        require(until != null, "until is required");
        // ids carry milliseconds, and created_at is the time in the id
        until = until.truncatedTo(ChronoUnit.MILLIS);
    }

    /** The first moment of the history. */
    public Instant from() {
        return until.minus(span());
    }

    public Duration span() {
        return Duration.ofDays(30L * months);
    }

    /** Parses the command line after {@code seed}; a history ending at {@code now}. */
    public static SeedOptions parse(List<String> args, Instant now) {
        int payments = 1_000_000;
        long seed = 1;
        int merchants = 300;
        int months = 6;
        int batch = 10_000;
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--payments" -> payments = Integer.parseInt(value(args, ++i).replace("_", ""));
                case "--seed" -> seed = Long.parseLong(value(args, ++i));
                case "--merchants" -> merchants = Integer.parseInt(value(args, ++i));
                case "--months" -> months = Integer.parseInt(value(args, ++i));
                case "--batch" -> batch = Integer.parseInt(value(args, ++i));
                default -> throw new IllegalArgumentException("unknown seed option " + args.get(i) + " (" + USAGE + ")");
            }
        }
        return new SeedOptions(payments, seed, merchants, months, now, batch);
    }

    private static String value(List<String> args, int index) {
        if (index >= args.size()) {
            throw new IllegalArgumentException(args.get(index - 1) + " needs a value");
        }
        return args.get(index);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
