package dev.nightjar.risk.features;

import dev.nightjar.contracts.event.EventEnvelope;
import dev.nightjar.contracts.event.EventType;
import dev.nightjar.contracts.event.PaymentEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a batch of payment events changes in the features. A payment counts once, at its creation, with its
 * first event (it may have several: pending then captured, authorized then captured); a decline counts when
 * it happens. Events beyond the day window change nothing; times from a clock ahead of ours count as now.
 */
public final class PaymentEventDeltas {

    /** The longest window kept: older events have nothing left to add. */
    public static final long HORIZON_MINUTES = 24 * 60;

    private PaymentEventDeltas() {
    }

    /**
     * @param fresh          events never applied before, in order
     * @param firstAttempts  payment ids counted for the first time in this batch
     * @param customerIps    the customer IP address of payments whose request named one
     */
    public static List<FeatureDelta> of(List<EventEnvelope<PaymentEvent>> fresh, Set<String> firstAttempts,
                                        Map<String, String> customerIps, long nowMillis) {
        long nowMinute = Math.floorDiv(nowMillis, 60_000L);
        List<FeatureDelta> deltas = new ArrayList<>();
        Set<String> uncounted = new HashSet<>(firstAttempts);
        for (EventEnvelope<PaymentEvent> event : fresh) {
            PaymentEvent payment = event.payload();
            if (payment.merchantId() == null || payment.paymentId() == null) {
                continue; // nothing to count it against; a retry would not make it countable either
            }
            // remove(): the payment's first event in the batch counts it, its later events do not
            if (isPaymentEvent(event) && uncounted.remove(payment.paymentId())) {
                Instant created = payment.createdAt() != null ? payment.createdAt() : event.occurredAt();
                long minute = Math.min(nowMinute, Math.floorDiv(created.toEpochMilli(), 60_000L));
                if (minute > nowMinute - HORIZON_MINUTES) {
                    FeatureDelta.attempt(payment.merchantId(), payment.cardFingerprint(),
                            customerIps.get(payment.paymentId()), payment.amountMinor(), payment.currency(), minute, deltas);
                }
            }
            if (EventType.PAYMENT_DECLINED.typeOf(event)) {
                long minute = Math.min(nowMinute, Math.floorDiv(event.occurredAt().toEpochMilli(), 60_000L));
                if (minute > nowMinute - HORIZON_MINUTES) {
                    FeatureDelta.decline(payment.merchantId(), payment.cardFingerprint(), minute, deltas);
                }
            }
        }
        return deltas;
    }

    /** True for the events that make a payment attempt: any payment event (refund events are not attempts). */
    public static boolean isPaymentEvent(EventEnvelope<PaymentEvent> event) {
        return event.type().startsWith("payment.");
    }
}
