package dev.nightjar.contracts.id;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdsTest {

    @Test
    void idsCarryTheirPrefixAndAValidUlid() {
        String id = Ids.newId(Ids.PAYMENT);
        assertThat(id).startsWith("pay_").hasSize(4 + 26);
        assertThat(Ids.isValid(id, Ids.PAYMENT)).isTrue();
        assertThat(Ids.isValid(id, Ids.REFUND)).isFalse();
        assertThat(Ids.isValid("pay_" + "U".repeat(26), Ids.PAYMENT)).isFalse();
        assertThat(Ids.isValid("pay_8ZZZZZZZZZZZZZZZZZZZZZZZZZ", Ids.PAYMENT)).isFalse();
        assertThat(Ids.isValid("pay_nonsense", Ids.PAYMENT)).isFalse();
    }

    @Test
    void idsMadeInSequenceSortInCreationOrderAndNeverRepeat() {
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            made.add(Ids.newId(Ids.PAYMENT));
        }
        assertThat(made).isSorted();
        assertThat(new HashSet<>(made)).hasSize(made.size());
    }

    @Test
    void creationTimeCanBeReadBack() {
        Instant before = Instant.now().minusMillis(1);
        Instant stamped = Ids.timestampOf(Ids.newId(Ids.REFUND));
        assertThat(stamped).isBetween(before, Instant.now().plusMillis(1));
    }

    @Test
    void lowerBoundSortsBeforeEveryIdOfThatMillisecond() {
        Instant now = Instant.now();
        String bound = Ids.lowerBound(Ids.PAYMENT, now.minus(Duration.ofMillis(1)));
        assertThat(bound.compareTo(Ids.newId(Ids.PAYMENT))).isNegative();
        assertThat(Ids.timestampOf(bound)).isEqualTo(Instant.ofEpochMilli(now.toEpochMilli() - 1));
    }
}
