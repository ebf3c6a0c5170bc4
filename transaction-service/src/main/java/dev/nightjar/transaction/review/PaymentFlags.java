package dev.nightjar.transaction.review;

import dev.nightjar.common.jdbc.SqlArrays;
import dev.nightjar.common.kafka.ProcessedEvents;
import dev.nightjar.common.shard.Shard;
import dev.nightjar.common.shard.Shards;
import dev.nightjar.contracts.event.RiskEvent;

/**
 * Post-authorization review flags on the merchant's shard ({@code payment_flags}). A flag is applied once per
 * event id ({@code processed_events}, in the same transaction) and once per payment; applying it also shows
 * the new verdict on the payment ({@code risk} becomes the re-score with the decision {@code review}), with the
 * payment's version raised so that a change computed from the old row (a capture claim, a refund) is judged
 * again instead of writing the old verdict back. Only payments that hold or took money are flagged
 * (authorized, a capture or cancel in flight, captured, settled); a flag about one already canceled, declined
 * or refunded is dropped, as there is nothing left to review.
 */
public final class PaymentFlags {

    public static final String CONSUMER = "transaction-reviews";

    private final Shards shards;

    public PaymentFlags(Shards shards) {
        this.shards = shards;
    }

    /** Applies a {@code risk.flagged} event; false when it was seen before, or the payment has nothing to review. */
    public boolean flag(String eventId, RiskEvent flag) {
        Shard shard = shards.forMerchant(flag.merchantId());
        Boolean flagged = shard.transactions().execute(transaction -> {
            if (!ProcessedEvents.firstTime(shard.jdbc(), CONSUMER, eventId)) {
                return false;
            }
            return shard.jdbc().sql("""
                            WITH shown AS (
                                UPDATE payments SET risk_score = :score, risk_decision = 'review',
                                       risk_reasons = CAST(:reasons AS text[]), version = version + 1
                                 WHERE merchant_id = :merchant AND id = :payment
                                   AND status IN ('AUTHORIZED', 'CAPTURING', 'CANCELING', 'CAPTURED', 'SETTLED')
                                   AND NOT EXISTS (SELECT 1 FROM payment_flags WHERE payment_id = :payment)
                                RETURNING id)
                            INSERT INTO payment_flags (payment_id, merchant_id, score, reasons, event_id)
                            SELECT id, :merchant, :score, CAST(:reasons AS text[]), :event FROM shown
                            ON CONFLICT (payment_id) DO NOTHING""")
                    .param("merchant", flag.merchantId()).param("payment", flag.paymentId())
                    .param("score", flag.score()).param("reasons", SqlArrays.text(flag.reasons()))
                    .param("event", eventId)
                    .update() == 1;
        });
        return Boolean.TRUE.equals(flagged);
    }

    /** True while the payment has a flag no reviewer has decided. */
    public boolean isOpen(String merchantId, String paymentId) {
        return shards.forMerchant(merchantId).jdbc().sql("""
                        SELECT EXISTS (SELECT 1 FROM payment_flags
                                        WHERE merchant_id = :merchant AND payment_id = :payment AND resolved_at IS NULL)""")
                .param("merchant", merchantId).param("payment", paymentId)
                .query(Boolean.class).single();
    }

    /** Closes the payment's open flag with a reviewer's decision; false when none was open. */
    public boolean resolve(String merchantId, String paymentId, boolean approved) {
        return shards.forMerchant(merchantId).jdbc().sql("""
                        UPDATE payment_flags SET resolved_at = now(), resolution = :resolution
                         WHERE merchant_id = :merchant AND payment_id = :payment AND resolved_at IS NULL""")
                .param("resolution", approved ? "approved" : "rejected")
                .param("merchant", merchantId).param("payment", paymentId)
                .update() == 1;
    }
}
