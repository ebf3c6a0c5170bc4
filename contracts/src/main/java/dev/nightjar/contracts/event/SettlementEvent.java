package dev.nightjar.contracts.event;

import java.time.LocalDate;

/**
 * What settlement did, on {@code settlement_events}, keyed by merchant id. Two types:
 * <ul>
 *   <li>{@code settlement.merchant_settled}: one per batch and merchant. The acquirer paid
 *       {@code reportedMinor - acquirerFeeMinor} for this merchant's lines; Nightjar's own amounts of the
 *       lines it settled come to {@code clearedMinor} (captures minus refunds, what leaves the acquirer
 *       receivable); the difference goes to suspense until a person resolves it. {@code payoutMinor} is
 *       paid to the merchant (0 when the batch nets to nothing or less).</li>
 *   <li>{@code payment.settled}: one per payment whose capture the acquirer settled in the batch;
 *       {@code paymentId} and {@code amountMinor} (the settled capture amount) are set. transaction-service
 *       moves the payment to settled and announces it with a {@code payment.settled} of its own on
 *       {@code payment_events} (a {@link PaymentEvent}, the merchant's webhook); the ledger books neither.</li>
 * </ul>
 */
public record SettlementEvent(
        String batchId,
        String merchantId,
        String acquirer,
        String currency,
        LocalDate settlementDate,
        long clearedMinor,
        long reportedMinor,
        long acquirerFeeMinor,
        long payoutMinor,
        String paymentId,
        long amountMinor) {

    /** Cash the acquirer sent for this merchant's lines. */
    public long receivedMinor() {
        return reportedMinor - acquirerFeeMinor;
    }
}
