package dev.nightjar.contracts.id;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IdsAtTest {

    @Test
    void anIdMadeAtAnInstantIsValidCarriesThatMillisecondAndRepeatsWithTheSameRandomSource() {
        Instant at = Instant.parse("2026-06-01T10:15:30.123456Z");

        String id = Ids.at(Ids.PAYMENT, at, new SplittableRandom(7));

        assertThat(Ids.isValid(id, Ids.PAYMENT)).isTrue();
        assertThat(Ids.timestampOf(id)).isEqualTo(Instant.parse("2026-06-01T10:15:30.123Z"));
        assertThat(Ids.at(Ids.PAYMENT, at, new SplittableRandom(7))).isEqualTo(id);
        assertThat(Ids.at(Ids.PAYMENT, at, new SplittableRandom(8))).isNotEqualTo(id);
    }
}
