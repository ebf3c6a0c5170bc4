package dev.nightjar.contracts.event;

import java.time.Instant;
import java.util.List;

/**
 * A committed, balanced journal entry, on {@code ledger_entries}, published in the same Kafka transaction
 * that commits the consumed events' offsets. Consumers deduplicate on {@code entryId}.
 *
 * @param sequence               the entry's place in its shard's hash chain
 * @param kind                   {@code capture}, {@code refund}, {@code hold}, {@code settlement}, {@code payout}, ...
 * @param acquirer               the acquirer the money moves through, for captures and refunds
 * @param authorizationReference the acquirer's network reference of the payment's authorization
 * @param amountMinor            the gross amount the entry is about (captured, refunded, settled), positive
 * @param feeMinor               Nightjar's fee to the merchant taken by this entry (captures), else 0
 */
public record LedgerEntryEvent(
        String entryId,
        int shard,
        long sequence,
        String kind,
        String merchantId,
        String paymentId,
        String acquirer,
        String authorizationReference,
        String sourceEventId,
        String description,
        Instant createdAt,
        String currency,
        long amountMinor,
        long feeMinor,
        List<Posting> postings) {

    public static final String CAPTURE = "capture";
    public static final String REFUND = "refund";

    /** One side of an entry: a signed amount (debit positive, credit negative) on one account. */
    public record Posting(String account, long amountMinor, String currency) {
    }
}
