package dev.nightjar.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** A seed is the whole run: the same seed gives the same events, traced or not. */
class SeedReplayTest {

    @Test
    void aSeedReplaysTheSameRunWithOrWithoutItsTrace() {
        Outcome first = Simulation.run(42, Set.of(), true);
        Outcome again = Simulation.run(42, Set.of(), true);
        Outcome untraced = Simulation.run(42);
        assertThat(again.trace()).isEqualTo(first.trace()).isNotEmpty();
        assertThat(again.figures()).isEqualTo(first.figures());
        assertThat(untraced.figures()).isEqualTo(first.figures());
        assertThat(untraced.trace()).isEmpty();
    }

    @Test
    void differentSeedsDrawDifferentRuns() {
        assertThat(Simulation.run(1).faults()).isNotEqualTo(Simulation.run(2).faults());
    }
}
