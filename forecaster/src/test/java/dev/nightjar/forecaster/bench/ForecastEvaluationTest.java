package dev.nightjar.forecaster.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.forecaster.SyntheticTraffic;
import dev.nightjar.forecaster.SyntheticTraffic.Surge;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The evaluation of docs/autoscaling.md as an assertion: streaming through the fifth generated week, the
 * seasonal model forecasts every horizon within 8 % (MAPE, the sale day left out) and beats repeating the last
 * value at each horizon. The figures themselves come from {@link ForecastEvaluation#main}.
 */
class ForecastEvaluationTest {

    @Test
    void theSeasonalModelForecastsTheFifthWeekWithinEightPercentAndBeatsTheLastValue() {
        long start = SyntheticTraffic.MONDAY_MINUTE;
        int day = ForecastEvaluation.DAY;
        Surge surge = new Surge(start + ForecastEvaluation.SURGE_DAY * day + 14 * 60, 30, 90, 60, 4.0);
        double[] rates = new SyntheticTraffic(300, 0.04, 0.06, Optional.of(surge), 2026)
                .generate(start, ForecastEvaluation.WEEKS * 7 * day);
        int testStart = ForecastEvaluation.TRAINING_DAYS * day;

        double[][] forecasts = ForecastEvaluation.stream(start, rates, testStart).forecasts();

        int surgeFrom = ForecastEvaluation.SURGE_DAY * day;
        for (int h = 0; h < ForecastEvaluation.HORIZONS.length; h++) {
            int horizon = ForecastEvaluation.HORIZONS[h];
            double model = 0;
            double lastValue = 0;
            int minutes = 0;
            for (int t = testStart; t < rates.length; t++) {
                if (t >= surgeFrom && t < surgeFrom + day) {
                    continue;
                }
                model += Math.abs(forecasts[h][t - testStart] - rates[t]) / rates[t];
                lastValue += Math.abs(rates[t - horizon] - rates[t]) / rates[t];
                minutes++;
            }
            assertThat(model / minutes).as("MAPE %d minutes ahead", horizon).isLessThan(0.08);
            assertThat(model).as("model against the last value, %d minutes ahead", horizon).isLessThan(lastValue);
        }
    }
}
