package dev.nightjar.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hash chain finds what a broken standby or a tamperer could do to it. */
class HashChainTest {

    @Test
    void aChainOfCapturesVerifiesFromItsGenesis() {
        assertThat(chainOf(entries(3)).verify()).isEmpty();
    }

    @Test
    void aMissingEntryIsFound() {
        List<LedgerEntry> entries = entries(3);
        HashChain copy = new HashChain();
        copy.append(entries.get(0), false);
        copy.append(entries.get(2), false);
        assertThat(copy.verify()).anyMatch(problem -> problem.contains("entries are missing"))
                .anyMatch(problem -> problem.contains("does not follow"));
    }

    @Test
    void anEntryAlteredAfterItWasHashedIsFound() {
        List<LedgerEntry> entries = entries(3);
        LedgerEntry original = entries.get(1);
        LedgerEntry altered = new LedgerEntry(original.sequence(), original.previousHash(), original.hash(), original.kind(),
                original.epoch(), original.paymentId(), original.reference(), original.merchant(), original.atMillis(),
                LedgerEntry.capturePostings("mer_a0", "EUR", 999_999, false));
        HashChain copy = new HashChain();
        copy.append(entries.get(0), false);
        copy.append(altered, false);
        copy.append(entries.get(2), false);
        assertThat(copy.verify()).containsExactly("entry 2 was altered after it was hashed");
    }

    @Test
    void aStandbyRefusesAnEntryThatDoesNotFollowItsHead() {
        List<LedgerEntry> entries = entries(3);
        HashChain standby = new HashChain();
        assertThat(standby.append(entries.get(0), true)).isTrue();
        assertThat(standby.append(entries.get(2), true)).isFalse();
        assertThat(standby.append(entries.get(1), true)).isTrue();
        assertThat(standby.headSequence()).isEqualTo(2);
    }

    private static List<LedgerEntry> entries(int count) {
        HashChain primary = new HashChain();
        List<LedgerEntry> entries = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            LedgerEntry entry = primary.next(LedgerEntry.CAPTURE, 1, "pay_" + i, "idr_mer_a0_k" + i, "mer_a0", i * 1_000L,
                    LedgerEntry.capturePostings("mer_a0", "EUR", 1_000L * i, false));
            assertThat(primary.append(entry, true)).isTrue();
            entries.add(entry);
        }
        return entries;
    }

    private static HashChain chainOf(List<LedgerEntry> entries) {
        HashChain chain = new HashChain();
        entries.forEach(entry -> chain.append(entry, true));
        return chain;
    }
}
