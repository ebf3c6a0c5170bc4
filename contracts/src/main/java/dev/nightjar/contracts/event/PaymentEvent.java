package dev.nightjar.contracts.event;

import java.time.Instant;

/**
 * A payment's state after a change, on {@code payment_events}. Carries the money moved by this change
 * ({@code changeAmountMinor}: captured now, refunded now) so consumers need no earlier state, and the
 * merchant's view of the payment (and of the refund, for refund events) as it was at that moment, which
 * is what webhooks deliver. Card data is limited to brand, last four digits and the per-merchant
 * fingerprint; never the number.
 */
public record PaymentEvent(
        String paymentId,
        String merchantId,
        dev.nightjar.contracts.contract.PaymentStatus status,
        String captureMethod,
        long amountMinor,
        String currency,
        long amountCapturableMinor,
        long amountCapturedMinor,
        long amountRefundedMinor,
        long changeAmountMinor,
        String refundId,
        String acquirer,
        String networkReference,
        String declineCode,
        String failureCode,
        String cardBrand,
        String cardLast4,
        String cardFingerprint,
        Integer riskScore,
        dev.nightjar.contracts.contract.RiskDecision riskDecision,
        Instant createdAt,
        Instant updatedAt,
        dev.nightjar.contracts.contract.PaymentObject payment,
        dev.nightjar.contracts.contract.RefundObject refund) {
}
