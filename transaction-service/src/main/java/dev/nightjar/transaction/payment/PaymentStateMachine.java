package dev.nightjar.transaction.payment;

import dev.nightjar.common.contract.RiskContract;
import dev.nightjar.common.event.EventTypes;
import java.util.List;

/**
 * The payment lifecycle as a pure function: (payment, command) → (next payment, events). No I/O; every
 * allowed and every forbidden transition is a unit test. Invariants on amounts are asserted by
 * {@link Payment} itself, so no transition can produce a payment that owes more than it holds.
 */
public final class PaymentStateMachine {

    /** Decline code for payments refused by the risk engine. */
    public static final String FRAUDULENT = "fraudulent";

    private PaymentStateMachine() {
    }

    /**
     * The first state of a new payment, given its risk verdict: blocked payments are declined at once,
     * reviewed ones wait for a reviewer, allowed ones go to the acquirer.
     */
    public static Transition admit(Payment received) {
        if (received.status() != PaymentStatus.AUTHORIZING) {
            throw new IllegalStateException("a new payment starts as AUTHORIZING");
        }
        String decision = received.risk() == null ? RiskContract.ALLOW : received.risk().decision();
        return switch (decision) {
            case RiskContract.BLOCK -> new Transition(received.toBuilder()
                    .status(PaymentStatus.DECLINED)
                    .failure(new Payment.Failure("card_declined", FRAUDULENT, "The payment was declined as likely fraud."))
                    .build(), List.of(EventTypes.PAYMENT_DECLINED));
            case RiskContract.REVIEW -> new Transition(received.toBuilder()
                    .status(PaymentStatus.REQUIRES_REVIEW)
                    .build(), List.of(EventTypes.PAYMENT_REQUIRES_REVIEW));
            case RiskContract.ALLOW -> new Transition(received, List.of());
            default -> throw new IllegalArgumentException("unknown risk decision " + decision);
        };
    }

    public static Transition apply(Payment payment, PaymentCommand command) {
        return switch (command) {
            case PaymentCommand.ApplyAuthorization authorization -> applyAuthorization(payment, authorization);
        };
    }

    private static Transition applyAuthorization(Payment payment, PaymentCommand.ApplyAuthorization result) {
        if (payment.status() != PaymentStatus.AUTHORIZING && payment.status() != PaymentStatus.PENDING) {
            throw new IllegalTransitionException(payment.status(), "apply an authorization to");
        }
        Payment.Builder next = payment.toBuilder().updatedAt(result.at());
        Payment.Authorization where = new Payment.Authorization(result.acquirer(), result.networkReference(),
                result.authorizationCode());
        return switch (result.outcome()) {
            case APPROVED -> result.captured()
                    ? new Transition(next.status(PaymentStatus.CAPTURED).authorization(where)
                            .captured(payment.amountMinor()).capturable(0).build(),
                            List.of(EventTypes.PAYMENT_CAPTURED))
                    : new Transition(next.status(PaymentStatus.AUTHORIZED).authorization(where)
                            .capturable(payment.amountMinor()).build(),
                            List.of(EventTypes.PAYMENT_AUTHORIZED));
            case DECLINED -> new Transition(next.status(PaymentStatus.DECLINED).authorization(where)
                    .failure(new Payment.Failure("card_declined", result.declineCode(), "The card was declined."))
                    .build(), List.of(EventTypes.PAYMENT_DECLINED));
            case FAILED -> new Transition(next.status(PaymentStatus.FAILED)
                    .failure(new Payment.Failure("processing_error", null, "The payment could not be processed."))
                    .build(), List.of(EventTypes.PAYMENT_FAILED));
            case UNKNOWN -> payment.status() == PaymentStatus.PENDING
                    ? new Transition(payment, List.of())
                    : new Transition(next.status(PaymentStatus.PENDING).build(), List.of(EventTypes.PAYMENT_PENDING));
        };
    }
}
