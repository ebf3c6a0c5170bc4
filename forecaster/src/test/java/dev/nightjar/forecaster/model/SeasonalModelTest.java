package dev.nightjar.forecaster.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nightjar.forecaster.SyntheticTraffic;
import dev.nightjar.forecaster.model.SeasonalModel.FittedModel;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SeasonalModelTest {

    private static final int DAY = SeasonalModel.MINUTES_PER_DAY;
    /** Weekday evening peak 300 requests/s, little noise: the seasonality is what there is to learn. */
    private static final SyntheticTraffic TRAFFIC = new SyntheticTraffic(300, 0.02, 0.0, Optional.empty(), 42);

    @Test
    void itRecoversAKnownDailyAndWeeklySeasonality() {
        // Two weeks and five days, Monday to Friday night: the next day is a Saturday, whose traffic is lower and
        // starts later than any weekday's. Only the weekly season can know that.
        long start = SyntheticTraffic.MONDAY_MINUTE;
        int length = 19 * DAY;
        FittedModel model = SeasonalModel.fit(MinuteSeries.of(start, TRAFFIC.generate(start, length)), Optional.empty());
        long saturday = start + length;

        double errorSum = 0;
        for (long minute = saturday; minute < saturday + DAY; minute++) {
            double expected = TRAFFIC.expectedRate(minute);
            errorSum += Math.abs(model.forecastRate(minute) - expected) / expected;
        }
        double saturdayMape = errorSum / DAY;
        long fridayEvening = saturday - DAY + 20 * 60;
        long saturdayEvening = saturday + 20 * 60;
        long fridayMorning = saturday - DAY + 8 * 60;
        long saturdayMorning = saturday + 8 * 60;

        assertThat(saturdayMape).as("MAPE of a whole Saturday forecast from Friday night").isLessThan(0.05);
        assertThat(model.forecastRate(saturdayEvening) / TRAFFIC.expectedRate(fridayEvening))
                .as("Saturday evening against Friday evening, true ratio %.2f",
                        TRAFFIC.expectedRate(saturdayEvening) / TRAFFIC.expectedRate(fridayEvening))
                .isCloseTo(TRAFFIC.expectedRate(saturdayEvening) / TRAFFIC.expectedRate(fridayEvening),
                        within(0.05));
        assertThat(model.forecastRate(saturdayMorning)).as("a later Saturday morning")
                .isLessThan(0.8 * TRAFFIC.expectedRate(fridayMorning));
        assertThat(model.recentErrorRatio().orElseThrow()).as("one-step MAPE over the last day").isLessThan(0.05);
    }

    @Test
    void theDailySeasonItLearnsHasTheTrueShape() {
        long start = SyntheticTraffic.MONDAY_MINUTE;
        FittedModel model = SeasonalModel.fit(MinuteSeries.of(start, TRAFFIC.generate(start, 14 * DAY)), Optional.empty());
        long wednesday = start + 16 * DAY;

        // On the log scale the daily season of 20:00 stands above that of 04:00 by the log of their true ratio.
        double learnt = model.dailySeason(wednesday + 20 * 60) + model.weeklySeason(wednesday + 20 * 60)
                - model.dailySeason(wednesday + 4 * 60) - model.weeklySeason(wednesday + 4 * 60);
        double truth = Math.log1p(TRAFFIC.expectedRate(wednesday + 20 * 60)) - Math.log1p(TRAFFIC.expectedRate(wednesday + 4 * 60));

        assertThat(learnt).isCloseTo(truth, within(0.1));
    }

    @Test
    void fittingFindsParametersNoWorseThanItsStartingPoint() {
        long start = SyntheticTraffic.MONDAY_MINUTE;
        SyntheticTraffic noisy = new SyntheticTraffic(300, 0.05, 0.08, Optional.empty(), 3);
        MinuteSeries history = MinuteSeries.of(start, noisy.generate(start, 15 * DAY));

        FittedModel fitted = SeasonalModel.fit(history, Optional.empty());
        FittedModel unfitted = SeasonalModel.apply(history, new SeasonalModel.Parameters(0.3, 0.01, 0.9, 0.3, 0.3));

        assertThat(fitted.recentErrorRatio().orElseThrow()).isLessThanOrEqualTo(unfitted.recentErrorRatio().orElseThrow() * 1.01);
    }

    @Test
    void tooLittleHistoryIsRefusedWithTheReason() {
        long start = SyntheticTraffic.MONDAY_MINUTE;
        MinuteSeries threeDays = MinuteSeries.of(start, TRAFFIC.generate(start, 3 * DAY));

        assertThat(SeasonalModel.insufficiency(threeDays, 14 * DAY)).contains("3.0 days of history, 14.0 needed");
        assertThatThrownBy(() -> SeasonalModel.fit(threeDays, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3.0 days of history");
    }

    @Test
    void aHistoryWithMostMinutesMissingIsRefused() {
        long start = SyntheticTraffic.MONDAY_MINUTE;
        double[] rates = TRAFFIC.generate(start, 15 * DAY);
        for (int i = 0; i < rates.length; i++) {
            rates[i] = i % 3 == 0 ? rates[i] : Double.NaN;
        }

        assertThat(SeasonalModel.insufficiency(MinuteSeries.of(start, rates), 14 * DAY))
                .hasValueSatisfying(reason -> assertThat(reason).startsWith("only 7200 of 21600 minutes observed"));
    }

    @Test
    void aShortGapIsBridgedByTheForecast() {
        long start = SyntheticTraffic.MONDAY_MINUTE;
        double[] rates = TRAFFIC.generate(start, 15 * DAY);
        int gapStart = rates.length - 60;
        for (int i = gapStart; i < rates.length; i++) {
            rates[i] = Double.NaN;
        }

        FittedModel model = SeasonalModel.fit(MinuteSeries.of(start, rates), Optional.empty());
        long next = start + rates.length;

        assertThat(model.lastObservedMinute()).isEqualTo(start + gapStart - 1);
        assertThat(model.forecastRate(next + 5)).isCloseTo(TRAFFIC.expectedRate(next + 5),
                within(0.1 * TRAFFIC.expectedRate(next + 5)));
    }
}
