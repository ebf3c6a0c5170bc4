package dev.nightjar.forecaster.bench;

import dev.nightjar.forecaster.SyntheticTraffic;
import dev.nightjar.forecaster.SyntheticTraffic.Surge;
import dev.nightjar.forecaster.model.MinuteSeries;
import dev.nightjar.forecaster.model.SeasonalModel;
import dev.nightjar.forecaster.model.SeasonalModel.FittedModel;
import dev.nightjar.forecaster.model.SeasonalModel.Parameters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The forecaster's evaluation on generated traffic (docs/autoscaling.md has the results and the command):
 * five weeks of per-minute rates with daily and weekly seasons, drift, noise and an unannounced sale-day surge.
 * The model trains on the first four weeks, then streams through the fifth as the forecaster would, minute by minute,
 * refitting its parameters every hour on the last four weeks. It reports the forecast error per horizon, and replays
 * week five through a simulated HPA: CPU only, and CPU plus the forecast at each horizon.
 */
public final class ForecastEvaluation {

    static final int DAY = SeasonalModel.MINUTES_PER_DAY;
    static final int WEEKS = 5;
    static final int TRAINING_DAYS = 28;
    /** Wednesday of week five: the sale, at 14:00 UTC, ramps to 4x in 30 minutes, holds 90, decays over 60. */
    static final int SURGE_DAY = TRAINING_DAYS + 2;
    static final int REFIT_MINUTES = 60;
    static final int[] HORIZONS = {5, 15, 30};

    private ForecastEvaluation() {
    }

    public static void main(String[] arguments) {
        long start = SyntheticTraffic.MONDAY_MINUTE;
        Surge surge = new Surge(start + SURGE_DAY * DAY + 14 * 60, 30, 90, 60, 4.0);
        SyntheticTraffic traffic = new SyntheticTraffic(300, 0.04, 0.06, Optional.of(surge), 2026);
        double[] rates = traffic.generate(start, WEEKS * 7 * DAY);
        int testStart = TRAINING_DAYS * DAY;

        long startNanos = System.nanoTime();
        Streamed streamed = stream(start, rates, testStart);
        double seconds = (System.nanoTime() - startNanos) / 1e9;

        StringBuilder report = new StringBuilder();
        report.append(String.format(Locale.ROOT, "Five weeks from %s, %d minutes; training %d days; streamed %d minutes in %.1f s "
                        + "(%d fits, median %.0f ms, max %.0f ms).%n%n", java.time.Instant.ofEpochSecond(start * 60),
                rates.length, TRAINING_DAYS, rates.length - testStart, seconds, streamed.fitMillis().size(),
                median(streamed.fitMillis()), streamed.fitMillis().stream().mapToDouble(Double::doubleValue).max().orElse(0)));
        report.append(ForecastErrors.table(start, rates, testStart, streamed.forecasts(), SURGE_DAY));
        report.append('\n');
        report.append(AutoscalerReplay.report(start, rates, testStart, streamed.forecasts(), traffic, surge));
        System.out.print(report);
    }

    /** forecasts[h][t - testStart]: the forecast of minute t issued {@code HORIZONS[h]} minutes ahead. */
    record Streamed(double[][] forecasts, List<Double> fitMillis) {
    }

    /**
     * Streams from 30 minutes before the test weeks to the end: at each minute T the model has seen the minutes
     * before T and forecasts T-1+h; then it sees minute T. Parameters are refitted every hour on the last four weeks.
     */
    static Streamed stream(long start, double[] rates, int testStart) {
        int maxHorizon = HORIZONS[HORIZONS.length - 1];
        double[][] forecasts = new double[HORIZONS.length][rates.length - testStart];
        List<Double> fitMillis = new ArrayList<>();
        FittedModel model = null;
        Optional<Parameters> parameters = Optional.empty();
        for (int now = testStart - maxHorizon; now < rates.length; now++) {
            if ((now - (testStart - maxHorizon)) % REFIT_MINUTES == 0) {
                int from = Math.max(0, now - TRAINING_DAYS * DAY);
                long fitStart = System.nanoTime();
                model = SeasonalModel.fit(MinuteSeries.of(start + from, java.util.Arrays.copyOfRange(rates, from, now)), parameters);
                fitMillis.add((System.nanoTime() - fitStart) / 1e6);
                parameters = Optional.of(model.parameters());
            }
            for (int h = 0; h < HORIZONS.length; h++) {
                int target = now - 1 + HORIZONS[h];
                if (target >= testStart && target < rates.length) {
                    forecasts[h][target - testStart] = model.forecastRate(start + target);
                }
            }
            model.observe(start + now, rates[now]);
        }
        return new Streamed(forecasts, fitMillis);
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() / 2);
    }
}
