package dev.nightjar.ledger.journal;

/** One line of a journal entry: a signed amount on one account; debits are positive, credits negative. */
public record Posting(String account, long amountMinor, String currency) {

    public Posting {
        if (amountMinor == 0) {
            throw new IllegalArgumentException("a posting moves money: amount must not be zero");
        }
    }
}
