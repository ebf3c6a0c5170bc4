package dev.nightjar.forecaster.model;

import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Double-seasonal Holt-Winters (Taylor's triple exponential smoothing with a daily and a weekly season) over a
 * per-minute request rate, on the log scale ({@code log(1 + rate)}), so the seasons scale with the level as traffic
 * does and a forecast is never negative.
 *
 * <p>Level and damped trend move every minute; the daily season has an index per {@value #DAILY_SLOT_MINUTES}
 * minutes of the day and the weekly season one per {@value #WEEKLY_SLOT_MINUTES} minutes of the week, each updated
 * by every minute that falls into it. A per-minute index would see one noisy observation a day (a week, for the
 * weekly one) and learn mostly noise. Seasons are anchored to UTC epoch minutes, so the same minute of the week
 * always lands on the same index.
 *
 * <p>The first week of the history initialises level and seasons (means per slot); the smoothing parameters are
 * those that minimise the one-step-ahead squared error over the rest of the history (Nelder-Mead).
 */
public final class SeasonalModel {

    public static final int MINUTES_PER_DAY = 1_440;
    public static final int MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;
    static final int DAILY_SLOT_MINUTES = 5;
    static final int WEEKLY_SLOT_MINUTES = 30;
    static final int DAILY_SLOTS = MINUTES_PER_DAY / DAILY_SLOT_MINUTES;
    static final int WEEKLY_SLOTS = MINUTES_PER_WEEK / WEEKLY_SLOT_MINUTES;
    /** The least history a fit takes: a week to initialise the weekly season, then a day to fit the parameters on. */
    public static final int MIN_HISTORY_MINUTES = MINUTES_PER_WEEK + MINUTES_PER_DAY;
    /** A history with fewer minutes observed than this share of its span is too gappy to fit. */
    static final double MIN_OBSERVED_SHARE = 0.8;
    /** The fit error the forecaster exports: one-step-ahead MAPE over the last day. */
    static final int RECENT_ERROR_MINUTES = MINUTES_PER_DAY;

    private static final int MAX_EVALUATIONS = 400;
    private static final int WARM_MAX_EVALUATIONS = 120;
    private static final double TOLERANCE = 1e-6;
    private static final Parameters DEFAULT_START = new Parameters(0.3, 0.01, 0.9, 0.3, 0.3);

    private SeasonalModel() {
    }

    /**
     * Smoothing parameters: {@code alpha} level, {@code beta} trend, {@code phi} trend damping per minute,
     * {@code delta} daily season, {@code omega} weekly season.
     */
    public record Parameters(double alpha, double beta, double phi, double delta, double omega) {

        static final double[] LOWER = {0.001, 0.0, 0.5, 0.0, 0.0};
        static final double[] UPPER = {1.0, 0.3, 0.999, 1.0, 1.0};

        public Parameters {
            double[] values = {alpha, beta, phi, delta, omega};
            for (int i = 0; i < values.length; i++) {
                if (!(values[i] >= LOWER[i] && values[i] <= UPPER[i])) {
                    throw new IllegalArgumentException("parameter " + i + " = " + values[i] + " outside ["
                            + LOWER[i] + ", " + UPPER[i] + "]");
                }
            }
        }

        /** Unbounded coordinates for the optimiser: the logit of each parameter's place within its bounds. */
        double[] toUnbounded() {
            double[] values = {alpha, beta, phi, delta, omega};
            double[] unbounded = new double[values.length];
            for (int i = 0; i < values.length; i++) {
                double share = (values[i] - LOWER[i]) / (UPPER[i] - LOWER[i]);
                share = Math.min(1 - 1e-6, Math.max(1e-6, share));
                unbounded[i] = Math.log(share / (1 - share));
            }
            return unbounded;
        }

        static Parameters fromUnbounded(double[] unbounded) {
            double[] values = new double[unbounded.length];
            for (int i = 0; i < unbounded.length; i++) {
                values[i] = LOWER[i] + (UPPER[i] - LOWER[i]) / (1 + Math.exp(-unbounded[i]));
            }
            return new Parameters(values[0], values[1], values[2], values[3], values[4]);
        }
    }

    /** Why this history cannot be fitted, or empty when it can. */
    public static Optional<String> insufficiency(MinuteSeries history, int minHistoryMinutes) {
        int required = Math.max(minHistoryMinutes, MIN_HISTORY_MINUTES);
        int observed = history.observedMinutes();
        if (history.length() < required) {
            return Optional.of(String.format("%.1f days of history, %.1f needed", history.length() / (double) MINUTES_PER_DAY,
                    required / (double) MINUTES_PER_DAY));
        }
        if (observed < MIN_OBSERVED_SHARE * history.length()) {
            return Optional.of(String.format("only %d of %d minutes observed (%.0f %% needed)", observed, history.length(),
                    MIN_OBSERVED_SHARE * 100));
        }
        return Optional.empty();
    }

    /** Fits the parameters to {@code history} (from {@code warmStart} when given, a shorter search) and runs the model through it. */
    public static FittedModel fit(MinuteSeries history, Optional<Parameters> warmStart) {
        requireFittable(history);
        Seasons initial = Seasons.initialise(history);
        double[] scaled = new double[history.length()];
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] = toScale(history.at(i));
        }
        double[] start = warmStart.orElse(DEFAULT_START).toUnbounded();
        double[] best = NelderMead.minimise(point -> meanSquaredError(history.startMinute(), scaled, initial,
                        Parameters.fromUnbounded(point)), start, warmStart.isPresent() ? 0.5 : 1.5,
                warmStart.isPresent() ? WARM_MAX_EVALUATIONS : MAX_EVALUATIONS, TOLERANCE);
        return apply(history, Parameters.fromUnbounded(best));
    }

    /** Runs the model with given parameters through {@code history}: the state at its end, ready to forecast. */
    public static FittedModel apply(MinuteSeries history, Parameters parameters) {
        requireFittable(history);
        FittedModel model = new FittedModel(parameters, Seasons.initialise(history), history.startMinute());
        for (int i = 0; i < history.length(); i++) {
            model.observe(history.startMinute() + i, history.at(i));
        }
        return model;
    }

    private static void requireFittable(MinuteSeries history) {
        insufficiency(history, MIN_HISTORY_MINUTES).ifPresent(reason -> {
            throw new IllegalArgumentException("cannot fit: " + reason);
        });
    }

    /** The objective: one-step squared error on the log scale (NaN: not observed), after the initialisation week. */
    private static double meanSquaredError(long startMinute, double[] scaled, Seasons initial, Parameters parameters) {
        FittedModel model = new FittedModel(parameters, initial, startMinute);
        double sum = 0;
        int count = 0;
        for (int i = 0; i < scaled.length; i++) {
            double error = model.step(startMinute + i, scaled[i]);
            if (i >= MINUTES_PER_WEEK && !Double.isNaN(error)) {
                sum += error * error;
                count++;
            }
        }
        double mean = sum / Math.max(1, count);
        return Double.isFinite(mean) ? mean : Double.MAX_VALUE;
    }

    static double toScale(double rate) {
        return Math.log1p(rate);
    }

    static double fromScale(double value) {
        return Math.max(0, Math.expm1(value));
    }

    static int dailySlot(long minute) {
        return (int) Math.floorMod(minute, (long) MINUTES_PER_DAY) / DAILY_SLOT_MINUTES;
    }

    static int weeklySlot(long minute) {
        return (int) Math.floorMod(minute, (long) MINUTES_PER_WEEK) / WEEKLY_SLOT_MINUTES;
    }

    /** Initial level and seasons from the first week of a history: per-slot means on the log scale, centred. */
    record Seasons(double level, double[] daily, double[] weekly) {

        static Seasons initialise(MinuteSeries history) {
            long start = history.startMinute();
            int span = Math.min(history.length(), MINUTES_PER_WEEK);
            double sum = 0;
            int count = 0;
            for (int i = 0; i < span; i++) {
                double value = history.at(i);
                if (!Double.isNaN(value)) {
                    sum += toScale(value);
                    count++;
                }
            }
            double level = sum / Math.max(1, count);
            double[] daily = slotMeans(history, span, DAILY_SLOTS, SeasonalModel::dailySlot,
                    (minute, value) -> value - level);
            double[] weekly = slotMeans(history, span, WEEKLY_SLOTS, SeasonalModel::weeklySlot,
                    (minute, value) -> value - level - daily[dailySlot(minute)]);
            return new Seasons(level, daily, weekly);
        }

        private interface Residual {
            double of(long minute, double scaledValue);
        }

        private static double[] slotMeans(MinuteSeries history, int span, int slots, java.util.function.LongToIntFunction slotOf,
                                          Residual residual) {
            double[] sums = new double[slots];
            int[] counts = new int[slots];
            for (int i = 0; i < span; i++) {
                double value = history.at(i);
                if (!Double.isNaN(value)) {
                    long minute = history.startMinute() + i;
                    int slot = slotOf.applyAsInt(minute);
                    sums[slot] += residual.of(minute, toScale(value));
                    counts[slot]++;
                }
            }
            double[] means = new double[slots];
            double total = 0;
            int filled = 0;
            for (int slot = 0; slot < slots; slot++) {
                if (counts[slot] > 0) {
                    means[slot] = sums[slot] / counts[slot];
                    total += means[slot];
                    filled++;
                }
            }
            // Centred, so the level carries the mean and the seasons only the shape.
            double centre = total / Math.max(1, filled);
            for (int slot = 0; slot < slots; slot++) {
                means[slot] = counts[slot] > 0 ? means[slot] - centre : 0;
            }
            return means;
        }
    }

    /** A model run up to some minute: its parameters and state. Forecasts from the minute after the last it saw. */
    public static final class FittedModel {

        private final Parameters parameters;
        private final double[] daily;
        private final double[] weekly;
        private double level;
        private double trend;
        private long nextMinute;
        private long lastObservedMinute = Long.MIN_VALUE;
        /** Absolute percentage errors of the last one-step forecasts (NaN where the minute had no value or was 0). */
        private final double[] recentErrors = new double[RECENT_ERROR_MINUTES];
        private long steps;

        FittedModel(Parameters parameters, Seasons initial, long firstMinute) {
            this.parameters = parameters;
            this.daily = initial.daily().clone();
            this.weekly = initial.weekly().clone();
            this.level = initial.level();
            this.trend = 0;
            this.nextMinute = firstMinute;
        }

        public Parameters parameters() {
            return parameters;
        }

        /** The last minute that had a value. */
        public long lastObservedMinute() {
            return lastObservedMinute;
        }

        /** The minute after the last one the model has seen. */
        public long nextMinute() {
            return nextMinute;
        }

        /**
         * Takes the rate of the next minute (NaN: not observed, the state only moves on) and returns the error of
         * the one-step forecast on the log scale (NaN when nothing was observed).
         */
        public double observe(long minute, double rate) {
            double forecast = oneStepForecast(minute);
            double error = step(minute, Double.isNaN(rate) ? Double.NaN : toScale(rate));
            double percentage = rate > 0 ? Math.abs(fromScale(forecast) - rate) / rate : Double.NaN;
            recentErrors[(int) (steps % RECENT_ERROR_MINUTES)] = percentage;
            steps++;
            return error;
        }

        private double oneStepForecast(long minute) {
            return level + parameters.phi() * trend + daily[dailySlot(minute)] + weekly[weeklySlot(minute)];
        }

        /** One minute of the recursions on a log-scale value (NaN: not observed); the one-step error. */
        double step(long minute, double value) {
            if (minute != nextMinute) {
                throw new IllegalArgumentException("minute " + minute + " observed, " + nextMinute + " expected");
            }
            int dailySlot = dailySlot(minute);
            int weeklySlot = weeklySlot(minute);
            double damped = parameters.phi() * trend;
            double error = Double.NaN;
            if (Double.isNaN(value)) {
                level += damped;
                trend = damped;
            } else {
                error = value - (level + damped + daily[dailySlot] + weekly[weeklySlot]);
                double previousLevel = level;
                level = parameters.alpha() * (value - daily[dailySlot] - weekly[weeklySlot])
                        + (1 - parameters.alpha()) * (previousLevel + damped);
                trend = parameters.beta() * (level - previousLevel) + (1 - parameters.beta()) * damped;
                double dailyResidual = value - level - weekly[weeklySlot];
                double weeklyResidual = value - level - daily[dailySlot];
                // Each slot hears from every minute in it: the gain per minute is the parameter over the slot width.
                daily[dailySlot] += parameters.delta() / DAILY_SLOT_MINUTES * (dailyResidual - daily[dailySlot]);
                weekly[weeklySlot] += parameters.omega() / WEEKLY_SLOT_MINUTES * (weeklyResidual - weekly[weeklySlot]);
                lastObservedMinute = minute;
            }
            nextMinute++;
            return error;
        }

        /** The forecast request rate of a minute at or after {@link #nextMinute()}. */
        public double forecastRate(long minute) {
            long ahead = minute - nextMinute + 1;
            if (ahead < 1) {
                throw new IllegalArgumentException("minute " + minute + " is not after the last seen, " + (nextMinute - 1));
            }
            double phi = parameters.phi();
            double trendSum = trend * phi * (1 - Math.pow(phi, ahead)) / (1 - phi);
            return fromScale(level + trendSum + daily[dailySlot(minute)] + weekly[weeklySlot(minute)]);
        }

        /** One-step-ahead mean absolute percentage error over the last day (as a ratio), empty without data. */
        public OptionalDouble recentErrorRatio() {
            double sum = 0;
            int count = 0;
            int window = (int) Math.min(steps, RECENT_ERROR_MINUTES);
            for (int i = 0; i < window; i++) {
                double error = recentErrors[i];
                if (!Double.isNaN(error)) {
                    sum += error;
                    count++;
                }
            }
            return count == 0 ? OptionalDouble.empty() : OptionalDouble.of(sum / count);
        }

        /** The daily season's value (log scale) at a minute of the day: for tests that check what the model learnt. */
        double dailySeason(long minute) {
            return daily[dailySlot(minute)];
        }

        double weeklySeason(long minute) {
            return weekly[weeklySlot(minute)];
        }
    }
}
