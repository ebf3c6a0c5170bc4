package dev.nightjar.common.event;

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
        String status,
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
        String riskDecision,
        Instant createdAt,
        Instant updatedAt,
        dev.nightjar.common.contract.PaymentObject payment,
        dev.nightjar.common.contract.RefundObject refund) {
}
