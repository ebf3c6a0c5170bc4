package dev.nightjar.simulation;

import java.util.List;
import java.util.Map;

/**
 * Everything the parties say to each other over the {@link Network}; each may be lost, delayed or delivered twice.
 *
 * <p>Abstracts away: HTTP, TLS, Kafka and PostgreSQL's replication protocol; the gateway, transaction-service and
 * auth-service of a region speak as one party.
 */
sealed interface Message {

    /** A client's payment (a {@code POST /v1/payments} with an Idempotency-Key) to the region DNS gave it. */
    record PayRequest(long requestId, String merchant, String key, long amountMinor, String currency) implements Message {
    }

    /** The answer: approved with the payment id, or refused with a code the client retries on. */
    record PayAnswer(long requestId, boolean approved, String paymentId, String refusal) implements Message {
    }

    /** A payment a region passes to the merchant's home region. */
    record Forward(long forwardId, PayRequest request) implements Message {
    }

    record ForwardAnswer(long forwardId, PayAnswer answer) implements Message {
    }

    /** An authorization with capture under a reference the acquirer deduplicates on. */
    record Authorize(String reference, String paymentId, String merchant, String key, long amountMinor,
                     String currency) implements Message {
    }

    /** The acquirer's answer to an authorization: the charge made under that reference, the first time or before. */
    record Authorized(Acquirer.Charge charge) implements Message {
    }

    /** What, if anything, was charged under a reference; answered without charging. */
    record Inquire(String reference) implements Message {
    }

    record InquiryAnswer(String reference, Acquirer.Charge charge) implements Message {
    }

    /** Every charge for these merchants since a moment: reconciliation after a promotion. */
    record ListCharges(String shard, List<String> merchants, long sinceMillis) implements Message {
    }

    record ChargeList(String shard, List<Acquirer.Charge> charges) implements Message {
    }

    /**
     * A region asks the witness to renew its lease; it reports, per group, the epoch its copies follow, so the
     * witness promotes only a standby that follows the current primary.
     */
    record Renew(String region, long sentAtMillis, Map<String, Integer> followedEpochs) implements Message {
    }

    /** The lease, counted from the request's {@code sentAtMillis}, and who owns which group at which epoch. */
    record LeaseGrant(long sentAtMillis, Map<String, Witness.Ownership> ownership) implements Message {
    }

    /** The witness's decision that a group has a new owner: the fencing token is the epoch. */
    record OwnershipNotice(Map<String, Witness.Ownership> ownership) implements Message {
    }

    /**
     * WAL records {@code [fromIndex, fromIndex + records.size())} of a shard, from a primary at {@code epoch}, with the
     * points where each epoch began (a timeline history), so a standby on an older epoch knows where to rewind to.
     */
    record WalBatch(String shard, int epoch, List<ShardCopy.Fork> forks, int fromIndex,
                    List<WalRecord> records) implements Message {
    }

    /** How many records the standby holds now, on which epoch's timeline. */
    record WalAck(String shard, int epoch, int size) implements Message {
    }

    /** {@code ledger_entries} mirrored to the other region: the chain's entries from {@code fromIndex}. */
    record MirrorBatch(String shard, int epoch, int fromIndex, List<LedgerEntry> entries) implements Message {
    }

    record MirrorAck(String shard, int size) implements Message {
    }
}
