package dev.nightjar.vault.token;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.testsupport.MovableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HeldOnceTest {

    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-07T12:00:00Z"));
    private final HeldOnce<String> held = new HeldOnce<>(Duration.ofMinutes(1), 2, clock);

    @Test
    void aValueIsTakenOnceAndNeverAfterItsTimeToLive() {
        held.hold("tok_a", "a");
        held.hold("tok_b", "b");
        assertThat(held.take("tok_a")).isEqualTo("a");
        assertThat(held.take("tok_a")).isNull();
        clock.advance(Duration.ofSeconds(61));
        assertThat(held.take("tok_b")).isNull();
        assertThat(held.size()).isZero();
    }

    @Test
    void aValueTheTakerDoesNotAcceptStaysHeld() {
        held.hold("tok_a", "mer_a");
        assertThat(held.take("tok_a", "mer_b"::equals)).isNull();
        assertThat(held.size()).isEqualTo(1);
        assertThat(held.take("tok_a", "mer_a"::equals)).isEqualTo("mer_a");
    }

    @Test
    void pastItsCapacityNothingMoreIsHeldUntilExpiredValuesGo() {
        assertThat(held.hold("tok_a", "a")).isTrue();
        assertThat(held.hold("tok_b", "b")).isTrue();
        assertThat(held.hold("tok_c", "c")).isFalse();
        assertThat(held.take("tok_c")).isNull();
        clock.advance(Duration.ofSeconds(61));
        // the refused hold evicted the expired ones: room again
        assertThat(held.hold("tok_d", "d")).isFalse();
        assertThat(held.size()).isZero();
        assertThat(held.hold("tok_e", "e")).isTrue();
        assertThat(held.hold(null, null)).isFalse();
    }
}
