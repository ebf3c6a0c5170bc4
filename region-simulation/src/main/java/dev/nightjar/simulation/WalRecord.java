package dev.nightjar.simulation;

/**
 * One committed transaction on a shard, in the order the shard's primary committed it: what its write-ahead log
 * streams to the standby in the other region. transaction-service's and ledger-service's databases of a shard share
 * a cluster, so one stream carries both and any prefix of it is consistent: a ledger entry is never on a standby
 * without the payment it books.
 *
 * <p>Abstracts away: pages, LSNs as bytes (an LSN is a record's index here), the outbox and Kafka between a payment
 * and its booking (a payment and its capture entry are one record), and auth-service's attempt rows (the intent
 * stands for them).
 */
sealed interface WalRecord {

    long atMillis();

    /**
     * Commit 1: the payment exists and which acquirer reference it will be sent under, written before the acquirer
     * is called, so a crash after the call leaves something to ask about.
     */
    record IntentRecorded(String reference, String paymentId, String merchant, String key, long amountMinor,
                          String currency, long atMillis) implements WalRecord {
    }

    /** Commit 2: the acquirer's charge recorded, with its capture entry; {@code how} says which path learnt of it. */
    record PaymentRecorded(String reference, String paymentId, String merchant, String key, long amountMinor,
                           String currency, long atMillis, String how, LedgerEntry entry) implements WalRecord {
    }

    /**
     * A standby promoted to primary at {@code epoch}: what it had replayed (the commit time of its last record), how
     * many entries it knew it was missing, and the moment from which it must reconcile with the acquirer, with the
     * chain's epoch marker. Until a {@link Reconciled} for the same epoch follows, that reconciliation is owed by
     * whoever owns the shard.
     */
    record EpochStarted(int epoch, long atMillis, long replayedUpToMillis, int knownMissingEntries,
                        long reconcileFromMillis, LedgerEntry entry) implements WalRecord {
    }

    /**
     * The reconciliation begun when epoch {@code epoch} started is done: every charge since its start, which was the
     * earliest one owed in this timeline, is recorded; nothing up to this epoch is owed any more.
     */
    record Reconciled(int epoch, long atMillis) implements WalRecord {
    }
}
