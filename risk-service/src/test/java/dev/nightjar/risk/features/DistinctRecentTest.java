package dev.nightjar.risk.features;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DistinctRecentTest {

    @Test
    void countsEachMemberOnceWithinTheWindow() {
        DistinctRecent cards = new DistinctRecent(64);
        cards.touch("fp_a", 100);
        cards.touch("fp_a", 101);
        cards.touch("fp_b", 101);

        assertThat(cards.count(101, 60)).isEqualTo(2);
    }

    @Test
    void aMemberLeavesTheWindowWithItsLastSighting() {
        DistinctRecent cards = new DistinctRecent(64);
        cards.touch("fp_a", 100);
        cards.touch("fp_b", 130);

        assertThat(cards.count(159, 60)).isEqualTo(2);
        assertThat(cards.count(160, 60)).isEqualTo(1);
        assertThat(cards.count(190, 60)).isZero();
    }

    @Test
    void pastItsCapacityTheOldestMemberMakesRoomAndTheCountSaturates() {
        DistinctRecent cards = new DistinctRecent(3);
        cards.touch("fp_1", 10);
        cards.touch("fp_2", 11);
        cards.touch("fp_3", 12);
        cards.touch("fp_4", 13);

        assertThat(cards.count(13, 60)).isEqualTo(3);
        assertThat(cards.count(13, 2)).isEqualTo(2); // fp_3 and fp_4: fp_1 made room, fp_2 is outside
    }
}
