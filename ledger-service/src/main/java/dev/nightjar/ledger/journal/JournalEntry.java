package dev.nightjar.ledger.journal;

import dev.nightjar.common.ledger.ChainHash;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A balanced set of postings caused by one event. Refuses to exist unbalanced: per currency the debits
 * (positive) equal the credits (negative). {@code sequence}, {@code previousHash} and {@code hash} place it
 * in its shard's hash chain once appended (0 and null before).
 *
 * @param amountMinor the gross amount the entry is about (captured, refunded, settled, paid out), positive
 * @param feeMinor    Nightjar's fee to the merchant this entry takes (captures), else 0
 */
public record JournalEntry(String id, Instant createdAt, String merchantId, String kind, String paymentId,
                           String sourceEventId, String description, String acquirer, String authorizationReference,
                           String currency, long amountMinor, long feeMinor, List<Posting> postings,
                           long sequence, String previousHash, String hash) implements ChainHash.Entry {

    public JournalEntry {
        postings = List.copyOf(postings);
        if (postings.size() < 2) {
            throw new IllegalArgumentException("a journal entry needs at least two postings");
        }
        Map<String, Long> perCurrency = new HashMap<>();
        for (Posting posting : postings) {
            perCurrency.merge(posting.currency(), posting.amountMinor(), Math::addExact);
            if (!posting.currency().equals(Accounts.currencyOf(posting.account()))) {
                throw new IllegalArgumentException("posting in " + posting.currency() + " on account " + posting.account());
            }
        }
        perCurrency.forEach((code, sum) -> {
            if (sum != 0) {
                throw new IllegalArgumentException("unbalanced entry: " + code + " sums to " + sum);
            }
        });
    }

    /** This entry placed in the chain after {@code previousHash}. */
    public JournalEntry chained(long sequence, String previousHash, String hash) {
        return new JournalEntry(id, createdAt, merchantId, kind, paymentId, sourceEventId, description, acquirer,
                authorizationReference, currency, amountMinor, feeMinor, postings, sequence, previousHash, hash);
    }
}
