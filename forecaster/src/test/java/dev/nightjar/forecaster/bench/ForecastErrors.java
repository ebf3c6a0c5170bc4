package dev.nightjar.forecaster.bench;

import java.util.Locale;
import java.util.function.IntToDoubleFunction;

/** MAPE and sMAPE of the streamed forecasts per horizon, with two naive forecasts for scale. */
final class ForecastErrors {

    private ForecastErrors() {
    }

    /** A Markdown table: per horizon and forecaster, MAPE / sMAPE over week five, its ordinary days, the surge day and the surge. */
    static String table(long start, double[] rates, int testStart, double[][] forecasts, int surgeDay) {
        int day = ForecastEvaluation.DAY;
        int surgeDayStart = surgeDay * day - testStart;
        int surgeStart = surgeDayStart + 14 * 60;
        int surgeEnd = surgeStart + 180;
        int length = rates.length - testStart;
        StringBuilder table = new StringBuilder();
        table.append("MAPE % / sMAPE % (bias %: mean signed error) against the actual per-minute rate.\n\n");
        table.append("| horizon | forecast | week 5 | ordinary days | morning ramps (06:00-10:00) | surge day | surge (14:00-17:00) |\n");
        table.append("|---|---|---|---|---|---|---|\n");
        for (int h = 0; h < ForecastEvaluation.HORIZONS.length; h++) {
            int horizon = ForecastEvaluation.HORIZONS[h];
            double[] model = forecasts[h];
            IntToDoubleFunction persistence = i -> rates[testStart + i - horizon];
            IntToDoubleFunction weekAgo = i -> rates[testStart + i - 7 * day];
            row(table, horizon, "seasonal model", i -> model[i], rates, testStart, length, surgeDayStart, surgeStart, surgeEnd);
            row(table, horizon, "last value (persistence)", persistence, rates, testStart, length, surgeDayStart, surgeStart, surgeEnd);
            row(table, horizon, "same minute last week", weekAgo, rates, testStart, length, surgeDayStart, surgeStart, surgeEnd);
        }
        return table.toString();
    }

    private static void row(StringBuilder table, int horizon, String name, IntToDoubleFunction forecast, double[] rates,
                            int testStart, int length, int surgeDayStart, int surgeStart, int surgeEnd) {
        int day = ForecastEvaluation.DAY;
        table.append(String.format(Locale.ROOT, "| %d min | %s | %s | %s | %s | %s | %s |%n", horizon, name,
                errors(forecast, rates, testStart, 0, length, -1, -1),
                errors(forecast, rates, testStart, 0, length, surgeDayStart, surgeDayStart + day),
                morningRamps(forecast, rates, testStart, length),
                errors(forecast, rates, testStart, surgeDayStart, surgeDayStart + day, -1, -1),
                errors(forecast, rates, testStart, surgeStart, surgeEnd, -1, -1)));
    }

    /** The errors over 06:00-10:00 of every test day but the surge day (weekdays and weekends alike). */
    private static String morningRamps(IntToDoubleFunction forecast, double[] rates, int testStart, int length) {
        int day = ForecastEvaluation.DAY;
        int[] minutes = java.util.stream.IntStream.range(0, length).filter(i -> i % day >= 6 * 60 && i % day < 10 * 60
                && i / day != ForecastEvaluation.SURGE_DAY - ForecastEvaluation.TRAINING_DAYS).toArray();
        return errors(i -> forecast.applyAsDouble(minutes[i]), i -> rates[testStart + minutes[i]], minutes.length);
    }

    /** "MAPE % / sMAPE % (bias %)" over test minutes [from, to), leaving out [skipFrom, skipTo); bias: mean signed error. */
    private static String errors(IntToDoubleFunction forecast, double[] rates, int testStart, int from, int to,
                                 int skipFrom, int skipTo) {
        int[] minutes = java.util.stream.IntStream.range(from, to).filter(i -> i < skipFrom || i >= skipTo).toArray();
        return errors(i -> forecast.applyAsDouble(minutes[i]), i -> rates[testStart + minutes[i]], minutes.length);
    }

    private static String errors(IntToDoubleFunction forecast, IntToDoubleFunction actual, int count) {
        double ape = 0;
        double sape = 0;
        double bias = 0;
        for (int i = 0; i < count; i++) {
            double observed = actual.applyAsDouble(i);
            double predicted = forecast.applyAsDouble(i);
            ape += Math.abs(predicted - observed) / observed;
            sape += 2 * Math.abs(predicted - observed) / (Math.abs(predicted) + Math.abs(observed));
            bias += (predicted - observed) / observed;
        }
        return String.format(Locale.ROOT, "%.1f / %.1f (%+.1f)", 100 * ape / count, 100 * sape / count, 100 * bias / count);
    }
}
