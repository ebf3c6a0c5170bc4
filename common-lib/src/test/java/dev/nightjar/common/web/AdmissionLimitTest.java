package dev.nightjar.common.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AdmissionLimitTest {

    private static final long CALM = Duration.ofMillis(5).toNanos();
    private static final long BETWEEN = Duration.ofMillis(150).toNanos();
    private static final long LATE = Duration.ofMillis(900).toNanos();

    private final AdmissionLimit limit = new AdmissionLimit(16, 128, Duration.ofMillis(200));

    @Test
    void aServiceJustStartedAdmitsTheMinimumAndClimbsByTwoPerCalmObservationToTheMaximum() {
        assertThat(limit.current()).isEqualTo(16);
        limit.observe(CALM);
        assertThat(limit.current()).isEqualTo(18);
        climbToTheTop();
    }

    @Test
    void aLagOverTheTargetCutsTheLimitByAQuarterDownToTheMinimumOnly() {
        climbToTheTop();
        limit.observe(LATE);
        assertThat(limit.current()).isEqualTo(96);
        limit.observe(LATE);
        assertThat(limit.current()).isEqualTo(72);
        for (int i = 0; i < 20; i++) {
            limit.observe(LATE);
        }
        assertThat(limit.current()).isEqualTo(16);
    }

    @Test
    void aLagBetweenHalfTheTargetAndTheTargetHoldsTheLimit() {
        climbToTheTop();
        limit.observe(LATE);
        limit.observe(BETWEEN);
        limit.observe(BETWEEN);
        assertThat(limit.current()).isEqualTo(96);
    }

    @Test
    void aJustStartedServiceStartsAtTheColdFloorAndMayBeCutDownToItOnlyUntilTheColdPhaseEnds() {
        long[] now = {0};
        AdmissionLimit cold = new AdmissionLimit(4, Duration.ofSeconds(60), 16, 128, Duration.ofMillis(200),
                () -> now[0]);
        assertThat(cold.current()).isEqualTo(4);
        for (int i = 0; i < 10; i++) {
            cold.observe(CALM);
        }
        assertThat(cold.current()).isEqualTo(24);
        for (int i = 0; i < 20; i++) {
            cold.observe(LATE);
        }
        assertThat(cold.current()).as("cut below the usual floor while cold").isEqualTo(4);

        now[0] = Duration.ofSeconds(60).toNanos();
        cold.observe(LATE);
        assertThat(cold.current()).as("lifted to the usual floor once warm, even by a late observation").isEqualTo(16);
        for (int i = 0; i < 20; i++) {
            cold.observe(LATE);
        }
        assertThat(cold.current()).isEqualTo(16);
        cold.observe(CALM);
        assertThat(cold.current()).isEqualTo(18);
    }

    @Test
    void aFixedLimitIgnoresTheLag() {
        AdmissionLimit fixed = AdmissionLimit.fixed(7);
        fixed.observe(LATE);
        fixed.observe(Duration.ofHours(1).toNanos());
        assertThat(fixed.current()).isEqualTo(7);
    }

    @Test
    void boundsThatCannotHoldAreRefused() {
        assertThatThrownBy(() -> new AdmissionLimit(0, 10, Duration.ofMillis(200)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("min");
        assertThatThrownBy(() -> new AdmissionLimit(20, 10, Duration.ofMillis(200)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max");
        assertThatThrownBy(() -> new AdmissionLimit(1, 10, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
        assertThatThrownBy(() -> new AdmissionLimit(20, Duration.ofSeconds(60), 10, 128, Duration.ofMillis(200),
                System::nanoTime))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cold min <= min");
        assertThatThrownBy(() -> new AdmissionLimit(4, Duration.ofSeconds(-1), 10, 128, Duration.ofMillis(200),
                System::nanoTime))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cold phase");
    }

    private void climbToTheTop() {
        for (int i = 0; i < 100; i++) {
            limit.observe(CALM);
        }
        assertThat(limit.current()).isEqualTo(128);
    }
}
