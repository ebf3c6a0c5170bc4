package dev.nightjar.settlement.item;

import java.time.Instant;

/**
 * One capture or refund the ledger booked, waiting to be settled with its acquirer.
 *
 * @param entryId                the ledger entry's id: Nightjar's reference for the movement at the acquirer
 * @param operation              {@code capture} or {@code refund}
 * @param amountMinor            the gross amount, positive
 * @param feeMinor               Nightjar's fee to the merchant on a capture, else 0
 * @param authorizationReference the acquirer's network reference of the payment's authorization
 * @param bookedAt               when the ledger booked the entry
 */
public record SettlementItem(String entryId, String paymentId, String merchantId, String acquirer, String operation,
                             long amountMinor, long feeMinor, String currency, String authorizationReference,
                             Instant bookedAt) {

    public static final String CAPTURE = "capture";
    public static final String REFUND = "refund";

    /** The amount as it moves the merchant's money: captures positive, refunds negative. */
    public long signedAmountMinor() {
        return REFUND.equals(operation) ? -amountMinor : amountMinor;
    }

    /** What the merchant is owed for this movement: a capture less Nightjar's fee, or minus a refund. */
    public long merchantNetMinor() {
        return REFUND.equals(operation) ? -amountMinor : amountMinor - feeMinor;
    }
}
