package dev.nightjar.platform.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PressureTest {

    private static final List<String> CPU = List.of(
            "some avg10=16.46 avg60=28.97 avg300=31.02 total=13665775740",
            "full avg10=0.00 avg60=0.00 avg300=0.00 total=0");
    private static final List<String> IO = List.of(
            "some avg10=0.57 avg60=0.65 avg300=1.45 total=658216385",
            "full avg10=0.52 avg60=0.49 avg300=0.56 total=283412982");

    @Test
    void readsTheCumulativeTotalsOfCpuSomeAndIoSomeAndFull() {
        Pressure.Snapshot snapshot = Pressure.parse(7L, CPU, IO);

        assertThat(snapshot).isEqualTo(new Pressure.Snapshot(7L, 13_665_775_740L, 658_216_385L, 283_412_982L));
    }

    @Test
    void aSlicesSharesAreItsStallTimesOverItsWallTime() {
        Pressure.Snapshot from = new Pressure.Snapshot(0L, 1_000_000L, 500L, 100L);
        // ten seconds later: 2.5 s with a task waiting for a CPU, 1 s waiting for I/O, 0.2 s with every busy task on I/O
        Pressure.Snapshot to = new Pressure.Snapshot(10_000_000_000L, 3_500_000L, 1_000_500L, 200_100L);

        assertThat(Pressure.between(from, to)).isEqualTo(new Pressure.Shares(25.0, 10.0, 2.0));
    }

    @Test
    void noSharesWithoutBothSnapshots() {
        Pressure.Snapshot one = new Pressure.Snapshot(0L, 0L, 0L, 0L);

        assertThat(Pressure.between(null, one)).isNull();
        assertThat(Pressure.between(one, null)).isNull();
        assertThatThrownBy(() -> Pressure.parse(0L, List.of("full avg10=0.00 total=0"), IO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no 'some' line");
    }
}
