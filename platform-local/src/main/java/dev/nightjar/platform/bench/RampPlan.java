package dev.nightjar.platform.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A ramp of open-loop rates, {@code FROM:TO:STEP} on the command line ({@code 10:40:10} is 10, 20, 30 and 40
 * payments per second), and the rule that says which rates the platform held: p99 under
 * {@link #P99_LIMIT_MILLIS} and not one error.
 */
record RampPlan(List<Double> ratesPerSecond) {

    /** The latency a payment page can afford for its 99th percentile before customers notice. */
    static final double P99_LIMIT_MILLIS = 200;

    /** Each step runs for its full duration; more than this many is an hour-long ramp nobody meant. */
    static final int MAX_STEPS = 50;

    RampPlan {
        ratesPerSecond = List.copyOf(ratesPerSecond);
    }

    /** What one step of the ramp measured, as far as holding the rate is concerned. */
    record StepVerdict(double ratePerSecond, double p99Millis, long errors) {

        boolean held() {
            return errors == 0 && p99Millis < P99_LIMIT_MILLIS;
        }
    }

    /** Parses {@code FROM:TO:STEP}: positive rates, FROM at most TO, at most {@link #MAX_STEPS} steps. */
    static RampPlan parse(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("a ramp is FROM:TO:STEP in payments per second, 10:40:10 say: " + text);
        }
        double from = number(parts[0], text);
        double to = number(parts[1], text);
        double step = number(parts[2], text);
        if (from <= 0 || step <= 0 || to < from) {
            throw new IllegalArgumentException("a ramp needs 0 < FROM <= TO and STEP > 0: " + text);
        }
        List<Double> rates = new ArrayList<>();
        // counted in steps, not by adding STEP up, so 0.1 steps do not drift past TO
        for (long index = 0; from + index * step <= to + step * 1e-9; index++) {
            if (rates.size() == MAX_STEPS) {
                throw new IllegalArgumentException("a ramp of more than " + MAX_STEPS + " steps: " + text);
            }
            rates.add(from + index * step);
        }
        for (double rate : rates) {
            if (rate > ArrivalSchedule.MAX_RATE_PER_SECOND) {
                throw new IllegalArgumentException("a ramp beyond " + (long) ArrivalSchedule.MAX_RATE_PER_SECOND
                        + " per second: " + text);
            }
        }
        return new RampPlan(rates);
    }

    /**
     * The highest rate that held, whatever happened at the others; empty when none did. A rate measured more than
     * once ({@code --repeat}) holds only when every window at it held.
     */
    static Optional<Double> highestRateHeld(List<StepVerdict> steps) {
        return heldByRate(steps).entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).max(Double::compare);
    }

    /**
     * Rates that failed below the highest one held: when there are any, the box's run-to-run spread is larger
     * than the ramp's step, and the answer needs a second run.
     */
    static List<Double> failedBelowHighestHeld(List<StepVerdict> steps) {
        Optional<Double> highest = highestRateHeld(steps);
        return highest.map(limit -> heldByRate(steps).entrySet().stream()
                .filter(rate -> !rate.getValue() && rate.getKey() < limit).map(Map.Entry::getKey).toList()).orElse(List.of());
    }

    /** Every rate measured, in order, and whether each of its windows held. */
    private static Map<Double, Boolean> heldByRate(List<StepVerdict> steps) {
        Map<Double, Boolean> held = new TreeMap<>();
        steps.forEach(step -> held.merge(step.ratePerSecond(), step.held(), Boolean::logicalAnd));
        return held;
    }

    private static double number(String part, String text) {
        try {
            double value = Double.parseDouble(part.trim());
            if (!Double.isFinite(value)) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number in the ramp " + text + ": " + part);
        }
    }
}
