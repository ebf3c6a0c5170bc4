package dev.nightjar.settlement.reconcile;

/**
 * One movement of a batch as reconciliation saw it. Amounts are signed (refunds negative); a side that does
 * not have the movement leaves its columns null.
 *
 * @param reference            the ledger entry id (Nightjar's reference), or the acquirer's own for a line Nightjar lacks
 * @param expectedAmountMinor  the ledger's amount
 * @param reportedAmountMinor  the acquirer's amount
 * @param expectedFeeMinor     the acquirer fee the contract gives on the ledger's amount
 * @param reportedFeeMinor     the fee the acquirer charged
 * @param merchantFeeMinor     Nightjar's fee to the merchant on the movement
 * @param action               what a person should do; null when it matched
 */
public record ReconciliationRow(int lineNo, Outcome outcome, String reference, String paymentId, String merchantId,
                                String operation, String networkReference, Long expectedAmountMinor,
                                Long reportedAmountMinor, Long expectedFeeMinor, Long reportedFeeMinor,
                                Long merchantFeeMinor, String action) {
}
