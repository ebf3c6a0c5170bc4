package dev.nightjar.platform.seed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.common.ledger.ChainHash;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LedgerChainTest {

    /**
     * The two entries and hashes below were computed by ledger-service (the first entry is its BookkeepingTest's):
     * a seeded entry must hash exactly as the ledger's own do, or the ledger's integrity check would reject it.
     */
    private static final SeedEntry FIRST = new SeedEntry("je_1", Instant.ofEpochMilli(1_700_000_000_000L), "mer_1", "x", null,
            "evt", "d", null, null, "EUR", 100, 0,
            List.of(new SeedEntry.Posting("a:x:EUR", 100, "EUR"), new SeedEntry.Posting("b:x:EUR", -100, "EUR")));
    private static final String FIRST_HASH = "c3550cc8647309aa156e324ea0330e49bba2ce206408e8cba8eecb55669e5676";
    private static final SeedEntry SECOND = new SeedEntry("je_01JD7V8Q6N2C3XK4M5P6R7S8T9", Instant.parse("2026-06-01T10:15:30.123Z"),
            "mer_2", "capture", "pay_01JD7V8Q6N2C3XK4M5P6R7S8T9", "evt_01JD7V8Q6N2C3XK4M5P6R7S8T9",
            "Capture of pay_01JD7V8Q6N2C3XK4M5P6R7S8T9", "acquirer-a", "nw_abc123", "EUR", 10_000, 140, List.of(
                    new SeedEntry.Posting("acquirer_receivable:acquirer-a:EUR", 10_000, "EUR"),
                    new SeedEntry.Posting("merchant_payable:mer_2:EUR", -9_860, "EUR"),
                    new SeedEntry.Posting("fee_revenue:nightjar:EUR", -140, "EUR")));
    private static final String SECOND_HASH = "84597e4d6a353ecca2737b7ebe4792771fcfdec200e4ece2a9efae04d3834470";

    @Test
    void aSeededEntryHashesExactlyAsTheLedgersOwn() {
        assertThat(ChainHash.of(ChainHash.GENESIS, 1, FIRST)).isEqualTo(FIRST_HASH);
        assertThat(ChainHash.of(FIRST_HASH, 2, SECOND)).isEqualTo(SECOND_HASH);
    }

    @Test
    void extendingAChainContinuesFromItsHeadEntryByEntry() {
        List<LedgerChain.Chained> fromGenesis = LedgerChain.extend(new LedgerChain.Head(0, ChainHash.GENESIS), List.of(FIRST, SECOND));
        List<LedgerChain.Chained> fromHead = LedgerChain.extend(new LedgerChain.Head(1, FIRST_HASH), List.of(SECOND));

        assertThat(fromGenesis).extracting(LedgerChain.Chained::sequence).containsExactly(1L, 2L);
        assertThat(fromGenesis).extracting(LedgerChain.Chained::hash).containsExactly(FIRST_HASH, SECOND_HASH);
        assertThat(fromGenesis.get(1).previousHash()).isEqualTo(FIRST_HASH);
        assertThat(fromHead).containsExactly(fromGenesis.get(1));
    }
}
