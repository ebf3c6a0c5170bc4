package dev.nightjar.platform.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The command line of the open-loop benchmark: {@code --rate R} or {@code --ramp FROM:TO:STEP},
 * {@code --seconds S} (each rate's measured window), {@code --warmup S} (unmeasured, at the first rate,
 * before anything is measured), {@code --lead-in S} (unmeasured, at each window's rate, running straight into the
 * window), {@code --repeat N} (the rate, or the whole ramp, N times over, each a window of
 * its own), {@code --json FILE} and {@code --bound-seconds S} (how long pgbench measures the PostgreSQL bound
 * after the rates; 0 skips it).
 *
 * @param ratesPerSecond one rate for {@code --rate}, every step's for {@code --ramp}
 * @param ramp           whether the rates are a ramp to report the highest rate held of
 * @param repeat         how many times the rates are measured in turn: a JIT settling, or the spread between
 *                       windows, shows in one run
 * @param leadIn         how long each window's rate runs before the window, with no pause between the two: the
 *                       window then measures the rate sustained, not a start from the silence in which the
 *                       databases' counters settle (0: the window starts from that silence)
 */
public record OpenLoopOptions(List<Double> ratesPerSecond, boolean ramp, int repeat, Duration measured, Duration warmup,
                              Duration leadIn, Optional<Path> jsonFile, Duration bound) {

    static final Duration DEFAULT_MEASURED = Duration.ofSeconds(30);
    static final Duration DEFAULT_WARMUP = Duration.ofSeconds(10);
    static final Duration DEFAULT_LEAD_IN = Duration.ofSeconds(10);
    static final Duration DEFAULT_BOUND = Duration.ofSeconds(10);

    /** More windows than this is a run of hours nobody meant (100 windows of 60 s, with their settling, take two). */
    static final int MAX_WINDOWS = 100;

    public OpenLoopOptions {
        ratesPerSecond = List.copyOf(ratesPerSecond);
        if (ratesPerSecond.isEmpty()) {
            throw new IllegalArgumentException("the open-loop benchmark needs --rate R or --ramp FROM:TO:STEP");
        }
        if (atRest(ratesPerSecond, ramp)) {
            // at rest: nothing is scheduled; a schedule of one a second checks the window's bounds
            new ArrivalSchedule(1, measured);
            if (jsonFile.isPresent()) {
                throw new IllegalArgumentException("--json is written for rates above 0; --rate 0 (at rest) prints its table only");
            }
            if (repeat != 1) {
                throw new IllegalArgumentException("--repeat is for rates above 0; --rate 0 (at rest) measures one window");
            }
        } else {
            // the schedules check the bounds of rates and durations
            ratesPerSecond.forEach(rate -> new ArrivalSchedule(rate, measured));
        }
        if (repeat < 1 || (long) repeat * ratesPerSecond.size() > MAX_WINDOWS) {
            throw new IllegalArgumentException("--repeat must be at least 1 and give at most " + MAX_WINDOWS
                    + " windows in all (" + ratesPerSecond.size() + " rate" + (ratesPerSecond.size() == 1 ? "" : "s")
                    + " each time): " + repeat);
        }
        requireWithinSchedule("--warmup", warmup);
        requireWithinSchedule("--lead-in", leadIn);
        requireWithinSchedule("--bound-seconds", bound);
    }

    /** Refuses, naming {@code option}, a duration below 0 or above what one schedule may last. */
    private static void requireWithinSchedule(String option, Duration duration) {
        if (duration.isNegative() || duration.compareTo(ArrivalSchedule.MAX_DURATION) > 0) {
            throw new IllegalArgumentException(option + " must be from 0 to " + ArrivalSchedule.MAX_DURATION.toSeconds()
                    + " seconds: " + duration.toSeconds());
        }
    }

    /** The rate of every measured window in order: the rates, {@link #repeat} times over. */
    public List<Double> windows() {
        return Collections.nCopies(repeat, ratesPerSecond).stream().flatMap(List::stream).toList();
    }

    /**
     * Whether this is {@code --rate 0}: nothing is sent, and the window measures what the platform spends at rest
     * (per second, not per payment). No warm-up, no lead-in, no PostgreSQL bound.
     */
    public boolean atRest() {
        return atRest(ratesPerSecond, ramp);
    }

    private static boolean atRest(List<Double> ratesPerSecond, boolean ramp) {
        return !ramp && ratesPerSecond.equals(List.of(0.0));
    }

    /** Whether {@code ./nightjar bench} was given the open loop's options rather than the closed loop's numbers. */
    public static boolean requested(List<String> benchArguments) {
        return !benchArguments.isEmpty() && benchArguments.get(0).startsWith("--");
    }

    /** Parses the arguments after {@code bench}; IllegalArgumentException names what is wrong. */
    public static OpenLoopOptions parse(List<String> arguments) {
        List<Double> rates = null;
        boolean ramp = false;
        Duration measured = DEFAULT_MEASURED;
        Duration warmup = DEFAULT_WARMUP;
        Duration leadIn = DEFAULT_LEAD_IN;
        Path json = null;
        Duration bound = DEFAULT_BOUND;
        int repeat = 1;
        for (int i = 0; i < arguments.size(); i += 2) {
            String option = arguments.get(i);
            if (i + 1 >= arguments.size()) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = arguments.get(i + 1);
            switch (option) {
                case "--rate" -> {
                    if (rates != null) {
                        throw new IllegalArgumentException("give one of --rate and --ramp, once");
                    }
                    rates = List.of(number(option, value));
                }
                case "--ramp" -> {
                    if (rates != null) {
                        throw new IllegalArgumentException("give one of --rate and --ramp, once");
                    }
                    rates = RampPlan.parse(value).ratesPerSecond();
                    ramp = true;
                }
                case "--seconds" -> measured = seconds(option, value);
                case "--warmup" -> warmup = seconds(option, value);
                case "--lead-in" -> leadIn = seconds(option, value);
                case "--json" -> json = Path.of(value);
                case "--bound-seconds" -> bound = seconds(option, value);
                case "--repeat" -> repeat = count(option, value);
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        if (rates == null) {
            throw new IllegalArgumentException("the open-loop benchmark needs --rate R or --ramp FROM:TO:STEP");
        }
        return new OpenLoopOptions(rates, ramp, repeat, measured, warmup, leadIn, Optional.ofNullable(json), bound);
    }

    private static double number(String option, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a number: " + value);
        }
    }

    private static int count(String option, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a whole number: " + value);
        }
    }

    private static Duration seconds(String option, String value) {
        try {
            return Duration.ofSeconds(Long.parseLong(value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes whole seconds: " + value);
        }
    }
}
