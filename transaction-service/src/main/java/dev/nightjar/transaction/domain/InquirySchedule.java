package dev.nightjar.transaction.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When the inquiries about a payment whose outcome is unknown are due: the first {@code base} after it went
 * pending, each next one after twice the wait before, never more than {@code maxDelay}, and at most
 * {@code attempts} of them; after the last, the recovery job keeps asking.
 */
public record InquirySchedule(Duration base, Duration maxDelay, int attempts) {

    public InquirySchedule {
        if (base.isNegative() || base.isZero() || maxDelay.compareTo(base) < 0 || attempts < 1) {
            throw new IllegalArgumentException("an inquiry schedule needs 0 < base <= maxDelay and at least one attempt");
        }
    }

    /** The wait before inquiry {@code attempt} (1-based). */
    public Duration delay(int attempt) {
        long millis = base.toMillis() << Math.min(Math.max(attempt - 1, 0), 20);
        return millis <= 0 || millis > maxDelay.toMillis() ? maxDelay : Duration.ofMillis(millis);
    }

    /** When {@code inquiry} is due, counted from {@code from} (the payment's change, or the previous inquiry). */
    public Instant due(Effect.Inquire inquiry, Instant from) {
        return from.plus(delay(inquiry.attempt()));
    }

    /**
     * What follows inquiry {@code attempt} about {@code payment}, as it is after that inquiry: the next inquiry
     * while its outcome is still unknown and attempts are left; nothing once the outcome is known (the
     * inquiry resolved it) or the attempts are spent (the recovery job's turn).
     */
    public Optional<Effect.Inquire> after(Payment payment, int attempt) {
        return payment.status().awaitsTheAuthorization() && attempt < attempts ? Optional.of(new Effect.Inquire(attempt + 1)) : Optional.empty();
    }
}
