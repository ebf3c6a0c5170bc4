package dev.nightjar.platform.seed;

import dev.nightjar.common.ledger.ChainHash;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A journal entry of the seeded history, field for field ledger-service's {@code JournalEntry} before it is
 * chained (both are what {@link ChainHash} hashes). Refuses to exist unbalanced, as the ledger's does: fewer than two postings, a posting of zero, a
 * posting in another currency than its account's, or postings not summing to zero per currency.
 */
public record SeedEntry(String id, Instant createdAt, String merchantId, String kind, String paymentId,
                        String sourceEventId, String description, String acquirer, String authorizationReference,
                        String currency, long amountMinor, long feeMinor, List<Posting> postings) implements ChainHash.Entry {

    public SeedEntry {
        postings = List.copyOf(postings);
        if (postings.size() < 2) {
            throw new IllegalArgumentException("a journal entry needs at least two postings");
        }
        Map<String, Long> perCurrency = new HashMap<>();
        for (Posting posting : postings) {
            if (!posting.account().endsWith(":" + posting.currency())) {
                throw new IllegalArgumentException("posting in " + posting.currency() + " on account " + posting.account());
            }
            perCurrency.merge(posting.currency(), posting.amountMinor(), Math::addExact);
        }
        perCurrency.forEach((code, sum) -> {
            if (sum != 0) {
                throw new IllegalArgumentException("unbalanced entry " + id + ": " + code + " sums to " + sum);
            }
        });
    }

    /** One line: a signed amount on one account ({@code kind:owner:currency}); debits positive, credits negative. */
    public record Posting(String account, long amountMinor, String currency) implements ChainHash.Posting {
        public Posting {
            if (amountMinor == 0) {
                throw new IllegalArgumentException("a posting moves money: amount must not be zero");
            }
        }

        static Posting of(String kind, String owner, String currency, long amountMinor) {
            return new Posting(kind + ":" + owner + ":" + currency, amountMinor, currency);
        }

        String kind() {
            return account.substring(0, account.indexOf(':'));
        }

        String owner() {
            return account.substring(account.indexOf(':') + 1, account.lastIndexOf(':'));
        }
    }
}
