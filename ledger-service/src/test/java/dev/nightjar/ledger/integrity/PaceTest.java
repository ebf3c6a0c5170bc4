package dev.nightjar.ledger.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A walk at a share of the wall clock: work for a stretch, then pause in proportion. */
class PaceTest {

    private long nanos;
    private final List<Duration> pauses = new ArrayList<>();

    private Pace pace(double share) {
        return new Pace(share, () -> nanos, duration -> {
            pauses.add(duration);
            nanos += duration.toNanos();
        });
    }

    @Test
    void aQuarterOfTheTimePausesThreeTimesAsLongAsEachStretchWorked() {
        Pace pace = pace(0.25);
        nanos += Duration.ofMillis(30).toNanos();
        pace.worked();
        assertThat(pauses).as("a stretch shorter than %s goes on", Pace.STRETCH).isEmpty();

        nanos += Duration.ofMillis(30).toNanos();
        pace.worked();
        assertThat(pauses).containsExactly(Duration.ofMillis(180));

        // the next stretch starts after the pause, not at the start of the walk
        nanos += Duration.ofMillis(40).toNanos();
        pace.worked();
        assertThat(pauses).hasSize(1);
        nanos += Duration.ofMillis(60).toNanos();
        pace.worked();
        assertThat(pauses).containsExactly(Duration.ofMillis(180), Duration.ofMillis(300));
    }

    @Test
    void aRestartedPaceCountsItsFirstStretchFromTheRestart() {
        Pace used = pace(0.5);
        nanos += Duration.ofSeconds(10).toNanos();
        Pace fresh = used.restart();
        nanos += Duration.ofMillis(10).toNanos();
        fresh.worked();
        assertThat(pauses).isEmpty();
    }

    @Test
    void theWholeTimeOrFullSpeedNeverPauses() {
        Pace whole = pace(1.0);
        nanos += Duration.ofSeconds(5).toNanos();
        whole.worked();
        Pace.fullSpeed().worked();
        assertThat(pauses).isEmpty();
    }

    @Test
    void aShareOutsideAboveZeroToOneIsRefused() {
        assertThatThrownBy(() -> pace(0)).hasMessageContaining("above 0 and at most 1, not 0.0");
        assertThatThrownBy(() -> pace(1.5)).hasMessageContaining("not 1.5");
    }
}
