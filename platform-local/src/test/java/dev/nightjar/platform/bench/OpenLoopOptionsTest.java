package dev.nightjar.platform.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenLoopOptionsTest {

    @Test
    void aRateWithSecondsWarmupAndJsonFile() {
        OpenLoopOptions options = OpenLoopOptions.parse(List.of("--rate", "20", "--seconds", "10", "--warmup", "5",
                "--lead-in", "3", "--json", "/tmp/b.json", "--bound-seconds", "0"));
        assertThat(options).isEqualTo(new OpenLoopOptions(List.of(20.0), false, 1, Duration.ofSeconds(10),
                Duration.ofSeconds(5), Duration.ofSeconds(3), java.util.Optional.of(Path.of("/tmp/b.json")), Duration.ZERO));
        assertThat(OpenLoopOptions.parse(List.of("--rate", "20", "--lead-in", "0")).leadIn()).as("0: no lead-in").isZero();
    }

    @Test
    void aRampGivesEveryStepsRateAndDefaultsForTheRest() {
        OpenLoopOptions options = OpenLoopOptions.parse(List.of("--ramp", "10:30:10"));
        assertThat(options.ratesPerSecond()).containsExactly(10.0, 20.0, 30.0);
        assertThat(options.ramp()).isTrue();
        assertThat(options.measured()).isEqualTo(OpenLoopOptions.DEFAULT_MEASURED);
        assertThat(options.warmup()).isEqualTo(OpenLoopOptions.DEFAULT_WARMUP);
        assertThat(options.leadIn()).isEqualTo(Duration.ofSeconds(10));
        assertThat(options.jsonFile()).isEmpty();
        assertThat(options.bound()).isEqualTo(OpenLoopOptions.DEFAULT_BOUND);
        assertThat(options.repeat()).isEqualTo(1);
        assertThat(options.windows()).containsExactly(10.0, 20.0, 30.0);
    }

    @Test
    void repeatMeasuresTheRateOrTheWholeRampThatManyTimesInTurn() {
        assertThat(OpenLoopOptions.parse(List.of("--rate", "20", "--repeat", "3")).windows()).containsExactly(20.0, 20.0, 20.0);
        assertThat(OpenLoopOptions.parse(List.of("--ramp", "10:20:10", "--repeat", "2")).windows())
                .containsExactly(10.0, 20.0, 10.0, 20.0);
        assertThat(OpenLoopOptions.parse(List.of("--ramp", "1:50:1", "--repeat", "2")).windows()).hasSize(OpenLoopOptions.MAX_WINDOWS);
    }

    @Test
    void rateZeroMeasuresThePlatformAtRestAndAnyOtherRateDoesNot() {
        assertThat(OpenLoopOptions.parse(List.of("--rate", "0", "--seconds", "60")).atRest()).isTrue();
        assertThat(OpenLoopOptions.parse(List.of("--rate", "0", "--seconds", "60")).measured()).isEqualTo(Duration.ofSeconds(60));
        assertThat(OpenLoopOptions.parse(List.of("--rate", "0.5")).atRest()).isFalse();
        assertThat(OpenLoopOptions.parse(List.of("--ramp", "10:30:10")).atRest()).isFalse();
    }

    @Test
    void theClosedLoopsNumbersAreNotTakenForTheOpenLoop() {
        assertThat(OpenLoopOptions.requested(List.of("32", "30"))).isFalse();
        assertThat(OpenLoopOptions.requested(List.of())).isFalse();
        assertThat(OpenLoopOptions.requested(List.of("--rate", "20"))).isTrue();
    }

    @Test
    void missingConflictingUnknownAndMalformedOptionsAreRefused() {
        for (List<String> arguments : List.of(List.of("--seconds", "10"), List.of("--rate", "20", "--ramp", "1:2:1"),
                List.of("--rate"), List.of("--rate", "fast"), List.of("--rate", "20", "--seconds", "1.5"),
                List.of("--rate", "20", "--speed", "3"), List.of("--rate", "20", "--warmup", "-1"),
                List.of("--rate", "-1"), List.of("--rate", "0", "--json", "/tmp/rest.json"),
                List.of("--rate", "0", "--seconds", "0"), List.of("--rate", "20", "--repeat", "0"),
                List.of("--rate", "20", "--repeat", "two"), List.of("--ramp", "1:50:1", "--repeat", "3"),
                List.of("--rate", "0", "--repeat", "2"), List.of("--rate", "20", "--lead-in", "-1"),
                List.of("--rate", "20", "--lead-in", "soon"))) {
            assertThatThrownBy(() -> OpenLoopOptions.parse(arguments)).as(arguments.toString())
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> OpenLoopOptions.parse(List.of("--rate", "20", "--lead-in", "-1")))
                .hasMessage("--lead-in must be from 0 to " + ArrivalSchedule.MAX_DURATION.toSeconds() + " seconds: -1");
    }
}
