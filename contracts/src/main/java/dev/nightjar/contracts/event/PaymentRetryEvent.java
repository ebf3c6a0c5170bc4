package dev.nightjar.contracts.event;

import java.time.Instant;

/** A queued acquirer retry or status inquiry for a payment whose outcome is not known, on {@code payment_retries}. */
public record PaymentRetryEvent(
        String paymentId,
        String merchantId,
        String operation,
        String acquirer,
        String networkReference,
        int attempt,
        Instant notBefore) {
}
