package dev.nightjar.ledger.journal;

import dev.nightjar.common.ledger.ChainHash;

/** One line of a journal entry: a signed amount on one account; debits are positive, credits negative. */
public record Posting(String account, long amountMinor, String currency) implements ChainHash.Posting {

    public Posting {
        if (amountMinor == 0) {
            throw new IllegalArgumentException("a posting moves money: amount must not be zero");
        }
    }
}
