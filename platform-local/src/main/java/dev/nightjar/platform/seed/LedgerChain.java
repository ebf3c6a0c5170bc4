package dev.nightjar.platform.seed;

import dev.nightjar.common.ledger.ChainHash;
import java.util.ArrayList;
import java.util.List;

/** Seeded entries placed in a ledger shard's hash chain, hashed by the ledger's own {@link ChainHash}. */
public final class LedgerChain {

    private LedgerChain() {
    }

    /** The chain's head: the last entry's sequence and hash ({@code ledger_chain}). */
    public record Head(long sequence, String hash) {
    }

    /** An entry placed in the chain. */
    public record Chained(SeedEntry entry, long sequence, String previousHash, String hash) {
    }

    /** The entries appended after {@code head}, in the order given, each hashed over the one before. */
    public static List<Chained> extend(Head head, List<SeedEntry> entries) {
        List<Chained> chained = new ArrayList<>(entries.size());
        long sequence = head.sequence();
        String previous = head.hash();
        for (SeedEntry entry : entries) {
            sequence++;
            String hash = ChainHash.of(previous, sequence, entry);
            chained.add(new Chained(entry, sequence, previous, hash));
            previous = hash;
        }
        return chained;
    }
}
