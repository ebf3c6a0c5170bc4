package dev.nightjar.platform.seed;

import java.time.Instant;

/** A succeeded refund of a seeded payment, as transaction-service's {@code refunds} row holds it. */
public record SeedRefund(String id, Instant createdAt, long amountMinor, String reason, String networkReference,
                         String idempotencyKey, Instant updatedAt) {

    public SeedRefund {
        if (amountMinor <= 0) {
            throw new IllegalStateException("a refund returns a positive amount: " + amountMinor);
        }
    }
}
