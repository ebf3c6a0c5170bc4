package dev.nightjar.forecaster;

import java.time.Instant;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Generated per-minute request rates with a known shape: a daily curve (night trough, morning ramp, lunch and
 * evening peaks), a weekly one (busier Friday, quieter weekend whose day starts later), slow drift away from the
 * pattern, per-minute noise, and optionally a surge that nothing announces.
 *
 * @param peakRate   requests/s at the height of an ordinary weekday's evening peak (before drift and noise)
 * @param noiseSigma per-minute multiplicative noise (log scale)
 * @param driftSigma slow multiplicative drift (log scale, an AR(1) with a time constant of about three hours)
 * @param surge      a sale-day surge, if any
 * @param seed       the random seed: the same traffic for the same seed
 */
public record SyntheticTraffic(double peakRate, double noiseSigma, double driftSigma, Optional<Surge> surge, long seed) {

    /** Monday 2026-01-05 00:00 UTC, as an epoch minute: generated weeks start on a Monday. */
    public static final long MONDAY_MINUTE = Instant.parse("2026-01-05T00:00:00Z").getEpochSecond() / 60;
    private static final double[] DAY_FACTORS = {1.0, 1.02, 1.0, 1.05, 1.15, 0.8, 0.7};
    private static final double DRIFT_PER_MINUTE = 0.995;

    /** Rates rise from 1x to {@code factor} over {@code rampMinutes}, hold, and fall back over {@code decayMinutes}. */
    public record Surge(long startMinute, int rampMinutes, int holdMinutes, int decayMinutes, double factor) {

        double multiplier(long minute) {
            long since = minute - startMinute;
            if (since < 0 || since >= rampMinutes + holdMinutes + decayMinutes) {
                return 1;
            }
            if (since < rampMinutes) {
                return 1 + (factor - 1) * since / rampMinutes;
            }
            if (since < rampMinutes + holdMinutes) {
                return factor;
            }
            return factor - (factor - 1) * (since - rampMinutes - holdMinutes) / decayMinutes;
        }

        public long endMinute() {
            return startMinute + rampMinutes + holdMinutes + decayMinutes;
        }
    }

    /** The noise-free rate of an epoch minute: daily and weekly shape, and the surge. */
    public double expectedRate(long minute) {
        double dayPosition = Math.floorMod(minute - MONDAY_MINUTE, 10_080L) / 1_440.0;
        int day = (int) dayPosition;
        double hour = (dayPosition - day) * 24;
        // Day factors blend linearly from one noon to the next, so midnight has no step.
        double fromNoon = hour - 12;
        int other = Math.floorMod(day + (fromNoon >= 0 ? 1 : -1), 7);
        double weight = Math.abs(fromNoon) / 24;
        double dayFactor = (1 - weight) * DAY_FACTORS[day] + weight * DAY_FACTORS[other];
        boolean weekend = day >= 5;
        double shape = dailyShape(weekend ? hour - 1.5 : hour);
        return peakRate * dayFactor * shape * surge.map(s -> s.multiplier(minute)).orElse(1.0);
    }

    /** Noisy rates of {@code minutes} minutes from {@code startMinute}. */
    public double[] generate(long startMinute, int minutes) {
        SplittableRandom random = new SplittableRandom(seed);
        double innovation = driftSigma * Math.sqrt(1 - DRIFT_PER_MINUTE * DRIFT_PER_MINUTE);
        double drift = 0;
        double[] rates = new double[minutes];
        for (int i = 0; i < minutes; i++) {
            drift = DRIFT_PER_MINUTE * drift + innovation * gaussian(random);
            double noise = noiseSigma * gaussian(random);
            rates[i] = expectedRate(startMinute + i) * Math.exp(drift + noise - (noiseSigma * noiseSigma + driftSigma * driftSigma) / 2);
        }
        return rates;
    }

    /** Share of the evening peak at an hour of the day (0 to 24, wrapping): about 0.2 at night, 1 at 20:00. */
    static double dailyShape(double hour) {
        return (0.18 + 0.35 * bump(hour, 9.5, 1.5) + 0.55 * bump(hour, 12.5, 3.0) + 0.65 * bump(hour, 20, 2.2)) / 0.8533;
    }

    private static double bump(double hour, double centre, double width) {
        double distance = Math.abs(hour - centre) % 24;
        distance = Math.min(distance, 24 - distance);
        return Math.exp(-distance * distance / (2 * width * width));
    }

    private static double gaussian(SplittableRandom random) {
        return random.nextGaussian();
    }
}
