package dev.nightjar.ledger.journal;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A balanced set of postings caused by one event. Refuses to exist unbalanced. */
public record JournalEntry(String id, Instant createdAt, String merchantId, String kind, String paymentId,
                           String sourceEventId, String description, List<Posting> postings) {

    public JournalEntry {
        postings = List.copyOf(postings);
        if (postings.size() < 2) {
            throw new IllegalArgumentException("a journal entry needs at least two postings");
        }
        Map<String, Long> perCurrency = new HashMap<>();
        for (Posting posting : postings) {
            perCurrency.merge(posting.currency(), posting.amountMinor(), Math::addExact);
        }
        perCurrency.forEach((currency, sum) -> {
            if (sum != 0) {
                throw new IllegalArgumentException("unbalanced entry: " + currency + " sums to " + sum);
            }
        });
    }
}
