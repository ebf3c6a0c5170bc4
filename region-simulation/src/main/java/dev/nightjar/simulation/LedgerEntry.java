package dev.nightjar.simulation;

import java.util.List;

/**
 * One journal entry of a shard's ledger, placed in the shard's hash chain: a {@code capture} (the acquirer owes the
 * amount, the merchant is owed it less the fee, the fee is Nightjar's) or an {@code epoch} marker, written by a
 * promoted standby as its first entry, with no postings. Amounts are integer minor units, debits positive, credits
 * negative; every capture balances per currency.
 *
 * <p>Abstracts away: holds, refunds, settlement and payouts (ledger-service books them the same way), months and
 * partitions, and the entry's descriptive fields.
 */
record LedgerEntry(long sequence, String previousHash, String hash, String kind, int epoch, String paymentId,
                   String reference, String merchant, long atMillis, List<Posting> postings) {

    static final String CAPTURE = "capture";
    static final String EPOCH = "epoch";

    LedgerEntry {
        postings = List.copyOf(postings);
    }

    /** One side of an entry: a signed amount on one account, in the account's currency. */
    record Posting(String account, String currency, long amountMinor) {
    }

    /** A capture's postings at {@link Timings#FEE_BASIS_POINTS}, the fee rounded half up and never above the amount. */
    static List<Posting> capturePostings(String merchant, String currency, long amountMinor, boolean dropFee) {
        long fee = Math.min(amountMinor, (amountMinor * Timings.FEE_BASIS_POINTS + 5_000) / 10_000);
        Posting receivable = new Posting("acquirer_receivable:acquirer:" + currency, currency, amountMinor);
        Posting payable = new Posting("merchant_payable:" + merchant + ":" + currency, currency, -(amountMinor - fee));
        Posting revenue = new Posting("fee_revenue:nightjar:" + currency, currency, -fee);
        return dropFee ? List.of(receivable, payable) : List.of(receivable, payable, revenue);
    }
}
