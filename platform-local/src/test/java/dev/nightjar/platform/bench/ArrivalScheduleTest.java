package dev.nightjar.platform.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ArrivalScheduleTest {

    @Test
    void requestsAreDueEveryOneOverRateAfterTheStart() {
        ArrivalSchedule schedule = new ArrivalSchedule(20, Duration.ofSeconds(10));
        assertThat(schedule.offsetNanos(0)).isZero();
        assertThat(schedule.offsetNanos(1)).isEqualTo(50_000_000L);
        assertThat(schedule.offsetNanos(2)).isEqualTo(100_000_000L);
        assertThat(schedule.intendedSendNanos(7_000_000_000L, 3)).isEqualTo(7_150_000_000L);
    }

    @Test
    void theCountIsEveryRequestDueBeforeTheEndAndNoneDueAtIt() {
        ArrivalSchedule schedule = new ArrivalSchedule(20, Duration.ofSeconds(10));
        assertThat(schedule.requestCount()).isEqualTo(200);
        assertThat(schedule.offsetNanos(199)).isLessThan(Duration.ofSeconds(10).toNanos());
        assertThat(schedule.offsetNanos(200)).isEqualTo(Duration.ofSeconds(10).toNanos());
    }

    @Test
    void aRateBelowOnePerSecondCountsOnlyTheRequestsDueInTheWindow() {
        // due at 0 s and 2 s; the next, at 4 s, is after the end
        assertThat(new ArrivalSchedule(0.5, Duration.ofSeconds(3)).requestCount()).isEqualTo(2);
        assertThat(new ArrivalSchedule(3, Duration.ofSeconds(1)).requestCount()).isEqualTo(3);
    }

    @Test
    void sendTimesDoNotDriftOverALongRunWhenThePeriodIsNotWholeNanoseconds() {
        ArrivalSchedule schedule = new ArrivalSchedule(3, Duration.ofHours(1));
        assertThat(schedule.offsetNanos(3 * 3_600)).isEqualTo(Duration.ofHours(1).toNanos());
        assertThat(schedule.offsetNanos(1)).isEqualTo(333_333_333L);
    }

    @Test
    void zeroNegativeAndAbsurdRatesAndDurationsAreRefused() {
        assertThatThrownBy(() -> new ArrivalSchedule(0, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ArrivalSchedule(-5, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ArrivalSchedule(Double.NaN, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ArrivalSchedule(1_000_000, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ArrivalSchedule(10, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ArrivalSchedule(10, Duration.ofDays(1))).isInstanceOf(IllegalArgumentException.class);
    }
}
