package dev.nightjar.transaction.payment;

import dev.nightjar.contracts.event.EventType;
import dev.nightjar.transaction.domain.Payment;
import dev.nightjar.transaction.domain.PaymentState;
import dev.nightjar.transaction.domain.PaymentStateMachine;
import dev.nightjar.transaction.domain.Transition;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * {@code nightjar_payments_total{acquirer,status,decline_code}}: one per outcome a payment reaches (authorized,
 * captured, declined, failed, canceled, refunded in full), counted by {@link PaymentRepository} when the change
 * that reaches it commits. That happens once per payment and outcome: every write is conditional on the version it
 * read, so a retried request, an inquiry, the recovery job or another replica applying the same answer finds the
 * payment changed and writes, and counts, nothing. A payment captured by hand shows twice: authorized, then
 * captured. Labels stay bounded: the acquirer is a configured one or {@code none}, the decline code one of
 * {@link #DECLINE_CODES}, {@code other} or {@code none}.
 */
public final class PaymentOutcomes {

    public static final String METRIC = "nightjar.payments";
    public static final String NONE = "none";
    public static final String OTHER = "other";
    /** The decline codes of Nightjar's API; whatever else an acquirer sends is counted as {@link #OTHER}. */
    public static final Set<String> DECLINE_CODES = Set.of("do_not_honor", "insufficient_funds", "lost_card",
            "stolen_card", "expired_card", "incorrect_cvc", PaymentStateMachine.FRAUDULENT);

    private final MeterRegistry meters;
    /** The counters already registered, so a payment's outcome costs a map lookup rather than a registration. */
    private final ConcurrentMap<Labels, Counter> counters = new ConcurrentHashMap<>();

    /**
     * Not a record: a record's {@code equals} and {@code hashCode} run through method handles, which C1 (the local
     * platform's compiler) does not inline, and this key is looked up on every payment.
     */
    private static final class Labels {
        private final String acquirer;
        private final String status;
        private final String declineCode;

        Labels(String acquirer, String status, String declineCode) {
            this.acquirer = acquirer;
            this.status = status;
            this.declineCode = declineCode;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Labels labels && acquirer.equals(labels.acquirer) && status.equals(labels.status)
                    && declineCode.equals(labels.declineCode);
        }

        @Override
        public int hashCode() {
            return (acquirer.hashCode() * 31 + status.hashCode()) * 31 + declineCode.hashCode();
        }
    }

    public PaymentOutcomes(MeterRegistry meters) {
        this.meters = meters;
        // Series that exist before the first such payment, so a rate over them reads 0 rather than nothing:
        // failures (before any acquirer answered) and declines.
        counter(NONE, PaymentState.FAILED.apiName(), NONE);
        counter(NONE, PaymentState.DECLINED.apiName(), NONE);
    }

    private Counter counter(String acquirer, String status, String declineCode) {
        return counters.computeIfAbsent(new Labels(acquirer, status, declineCode), labels -> Counter.builder(METRIC)
                .description("Payments reaching an outcome, by acquirer, status and decline code")
                .tag("acquirer", labels.acquirer).tag("status", labels.status)
                .tag("decline_code", labels.declineCode)
                .register(meters));
    }

    /** Counts the outcome {@code committed} reached, if it reached one. */
    public void committed(Transition committed) {
        outcome(committed).ifPresent(status -> {
            Payment payment = committed.payment();
            String acquirer = payment.authorization() == null || payment.authorization().acquirer() == null
                    ? NONE : payment.authorization().acquirer();
            String declineCode = payment.failure() == null || payment.failure().declineCode() == null ? NONE
                    : DECLINE_CODES.contains(payment.failure().declineCode()) ? payment.failure().declineCode() : OTHER;
            counter(acquirer, status.apiName(), declineCode).increment();
        });
    }

    /**
     * The outcome a transition reaches: the payment's new status when its events announce one. A refund
     * reaches {@code refunded} only when it refunds what is left; a capture or cancel the acquirer did not do
     * goes back to authorized silently, and is no new outcome.
     */
    static Optional<PaymentState> outcome(Transition transition) {
        PaymentState status = transition.payment().status();
        for (EventType type : transition.eventTypes()) {
            switch (type) {
                case PAYMENT_AUTHORIZED, PAYMENT_CAPTURED, PAYMENT_DECLINED, PAYMENT_FAILED, PAYMENT_CANCELED -> {
                    return Optional.of(status);
                }
                case REFUND_SUCCEEDED -> {
                    if (status == PaymentState.REFUNDED) {
                        return Optional.of(status);
                    }
                }
                default -> {
                    // pending, requires_review, a failed refund: no outcome yet; settled is settlement's word on a
                    // captured payment, counted by nightjar_payments_settlements_total instead
                }
            }
        }
        return Optional.empty();
    }
}
