package dev.nightjar.platform.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MachineSpeedTest {

    @Test
    void theFixedWorkComputesTheSameOnEveryRoundSoOnlyItsTimeDependsOnTheMachine() {
        long first = MachineSpeed.work();

        assertThat(MachineSpeed.work()).isEqualTo(first);
        // the work itself, not a constant: a map of 50,000 distinct payments and a sorted array stand behind it
        assertThat(first).isNotZero();
    }

    @Test
    void theMeasuredRoundsGiveAPositiveBestNoSlowerThanTheirMedian() {
        MachineSpeed.Result result = MachineSpeed.measure();

        assertThat(result.rounds()).isEqualTo(MachineSpeed.ROUNDS);
        assertThat(result.bestMillis()).isPositive().isLessThanOrEqualTo(result.medianMillis());
        assertThat(result.checksum()).isEqualTo(MachineSpeed.work());
    }
}
