package dev.nightjar.platform.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nightjar.platform.bench.RampPlan.StepVerdict;
import java.util.List;
import org.junit.jupiter.api.Test;

class RampPlanTest {

    @Test
    void fromToStepGivesEveryRateFromFromToTo() {
        assertThat(RampPlan.parse("10:40:10").ratesPerSecond()).containsExactly(10.0, 20.0, 30.0, 40.0);
        assertThat(RampPlan.parse("25:25:5").ratesPerSecond()).containsExactly(25.0);
    }

    @Test
    void aToBetweenStepsEndsTheRampAtTheLastStepBelowIt() {
        assertThat(RampPlan.parse("10:35:10").ratesPerSecond()).containsExactly(10.0, 20.0, 30.0);
    }

    @Test
    void fractionalStepsReachToWithoutDriftingPastIt() {
        List<Double> rates = RampPlan.parse("0.5:1.5:0.1").ratesPerSecond();
        assertThat(rates).hasSize(11);
        assertThat(rates.get(10)).isCloseTo(1.5, within(1e-9));
    }

    @Test
    void malformedRampsAreRefused() {
        for (String ramp : List.of("10:40", "10:40:10:5", "a:40:10", "40:10:10", "10:40:0", "0:40:10", "10:40:-5",
                "1:1000:1", "NaN:10:1")) {
            assertThatThrownBy(() -> RampPlan.parse(ramp)).as(ramp).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void theHighestRateHeldIsTheHighestWithP99UnderTheLimitAndNoErrors() {
        List<StepVerdict> steps = List.of(new StepVerdict(10, 40, 0), new StepVerdict(20, 120, 0),
                new StepVerdict(30, 250, 0), new StepVerdict(40, 150, 3));
        assertThat(RampPlan.highestRateHeld(steps)).contains(20.0);
        assertThat(RampPlan.failedBelowHighestHeld(steps)).isEmpty();
    }

    @Test
    void aP99OfExactlyTheLimitIsNotHeld() {
        assertThat(new StepVerdict(10, RampPlan.P99_LIMIT_MILLIS, 0).held()).isFalse();
        assertThat(new StepVerdict(10, RampPlan.P99_LIMIT_MILLIS - 0.1, 0).held()).isTrue();
    }

    @Test
    void oneErrorMeansTheRateWasNotHeldHoweverFastTheRest() {
        assertThat(new StepVerdict(10, 5, 1).held()).isFalse();
        assertThat(RampPlan.highestRateHeld(List.of(new StepVerdict(10, 5, 1)))).isEmpty();
    }

    @Test
    void whenNoRateHeldThereIsNoHighestAndNothingFailedBelowIt() {
        List<StepVerdict> steps = List.of(new StepVerdict(10, 900, 0), new StepVerdict(20, 1500, 2));
        assertThat(RampPlan.highestRateHeld(steps)).isEmpty();
        assertThat(RampPlan.failedBelowHighestHeld(steps)).isEmpty();
    }

    @Test
    void aRateThatFailedBelowTheHighestHeldIsReportedAsNoise() {
        List<StepVerdict> steps = List.of(new StepVerdict(10, 50, 0), new StepVerdict(20, 260, 0),
                new StepVerdict(30, 180, 0), new StepVerdict(40, 400, 0));
        assertThat(RampPlan.highestRateHeld(steps)).contains(30.0);
        assertThat(RampPlan.failedBelowHighestHeld(steps)).containsExactly(20.0);
    }

    @Test
    void aRepeatedRateHoldsOnlyWhenEveryWindowAtItHeld() {
        List<StepVerdict> steps = List.of(new StepVerdict(10, 50, 0), new StepVerdict(20, 120, 0), new StepVerdict(30, 150, 0),
                new StepVerdict(10, 60, 0), new StepVerdict(20, 130, 0), new StepVerdict(30, 240, 0));
        assertThat(RampPlan.highestRateHeld(steps)).contains(20.0);
        assertThat(RampPlan.failedBelowHighestHeld(steps)).isEmpty();

        List<StepVerdict> noisy = List.of(new StepVerdict(10, 50, 0), new StepVerdict(20, 120, 0), new StepVerdict(30, 150, 0),
                new StepVerdict(10, 60, 0), new StepVerdict(20, 130, 1), new StepVerdict(30, 170, 0));
        assertThat(RampPlan.highestRateHeld(noisy)).contains(30.0);
        assertThat(RampPlan.failedBelowHighestHeld(noisy)).containsExactly(20.0);
    }
}
