package dev.nightjar.common.event;

import java.util.List;

/** A committed, balanced journal entry, on {@code ledger_entries}. */
public record LedgerEntryEvent(
        String entryId,
        String merchantId,
        String sourceEventId,
        String description,
        List<Posting> postings) {

    /** One side of an entry: a signed amount (debit positive, credit negative) on one account. */
    public record Posting(String account, long amountMinor, String currency) {
    }
}
