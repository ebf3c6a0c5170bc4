package dev.nightjar.risk.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class WindowCountsTest {

    private static final long T = 29_000_000L; // an epoch minute at an hour boundary: 29,000,000 = 483,333 h + 20 min
    private static final long HOUR_START = T - Math.floorMod(T, 60L);

    @Test
    void aPaymentLeavesTheOneMinuteWindowWhenTheMinuteTurns() {
        WindowCounts counts = new WindowCounts(true);
        counts.add(T, 3, 0);

        assertThat(counts.payments(T, 1)).isEqualTo(3);
        assertThat(counts.payments(T + 1, 1)).isZero();
    }

    @Test
    void aPaymentStaysInTheHourWindowForSixtyMinuteBucketsAndNoLonger() {
        WindowCounts counts = new WindowCounts(true);
        counts.add(T, 2, 1);

        assertThat(counts.payments(T + 59, 60)).isEqualTo(2);
        assertThat(counts.declines(T + 59, 60)).isEqualTo(1);
        assertThat(counts.payments(T + 60, 60)).isZero();
        assertThat(counts.declines(T + 60, 60)).isZero();
    }

    @Test
    void newerEventsClearTheSlotsTheyWrapOnto() {
        WindowCounts counts = new WindowCounts(true);
        counts.add(T, 5, 0);
        counts.add(T + 60, 1, 0); // the same ring slot, one hour later

        assertThat(counts.payments(T + 60, 60)).isEqualTo(1);
        assertThat(counts.payments(T + 60, 1)).isEqualTo(1);
    }

    @Test
    void aGapLongerThanTheRingEmptiesIt() {
        WindowCounts counts = new WindowCounts(true);
        for (long minute = T; minute < T + 60; minute++) {
            counts.add(minute, 1, 1);
        }
        counts.add(T + 500, 1, 0);

        assertThat(counts.payments(T + 500, 60)).isEqualTo(1);
        assertThat(counts.declines(T + 500, 60)).isZero();
    }

    @Test
    void theDayWindowCountsWholeHoursAndDropsTheTwentyFifthHourBack() {
        WindowCounts counts = new WindowCounts(true);
        counts.add(HOUR_START, 4, 0);
        counts.add(HOUR_START + 59, 1, 0);

        assertThat(counts.paymentsLastDay(HOUR_START + 23 * 60 + 59)).isEqualTo(5);
        assertThat(counts.paymentsLastDay(HOUR_START + 24 * 60)).isZero();
    }

    @Test
    void lateEventsLandInTheBucketsTheyBelongTo() {
        WindowCounts counts = new WindowCounts(true);
        counts.add(T + 120, 1, 0);
        counts.add(T + 100, 1, 0);  // 20 minutes late: in the hour ring and the day
        counts.add(T, 1, 0);        // two hours late: only the day still holds it
        counts.add(T - 2000, 1, 0); // beyond the day: nowhere

        assertThat(counts.payments(T + 120, 60)).isEqualTo(2);
        assertThat(counts.paymentsLastDay(T + 120)).isEqualTo(3);
        assertThat(counts.lastMinute()).isEqualTo(T + 120);
    }

    @Test
    void theLastMinuteEstimateWeighsThePreviousMinuteByWhatIsLeftOfIt() {
        WindowCounts counts = new WindowCounts(false);
        counts.add(T, 4, 0);
        counts.add(T + 1, 2, 0);
        long quarterPast = (T + 1) * 60_000L + 15_000L;

        assertThat(counts.paymentsLastMinute(quarterPast)).isCloseTo(2 + 0.75 * 4, within(1e-9));
        assertThat(counts.paymentsLastMinute((T + 2) * 60_000L)).isCloseTo(2, within(1e-9));
    }

    @Test
    void aKeyWithoutADayWindowCountsNothingForTheDay() {
        WindowCounts counts = new WindowCounts(false);
        counts.add(T, 1, 0);

        assertThat(counts.paymentsLastDay(T)).isZero();
        assertThat(counts.payments(T, 60)).isEqualTo(1);
    }
}
