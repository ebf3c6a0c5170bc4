package dev.nightjar.transaction.domain;

import dev.nightjar.contracts.contract.RefundStatus;
import dev.nightjar.contracts.contract.RiskDecision;
import dev.nightjar.contracts.event.EventType;
import dev.nightjar.contracts.money.Currencies;
import java.util.List;

/**
 * The payment lifecycle as a pure function: (payment, command) → (next payment, events, effects). No I/O; every
 * allowed and every forbidden transition is a unit test. Invariants on amounts are asserted by
 * {@link Payment} itself, so no transition can produce a payment that owes more than it holds.
 *
 * <pre>
 * RECEIVED    → AUTHORIZING | REQUIRES_REVIEW | DECLINED                  (admitted by risk, when processed)
 * AUTHORIZING → AUTHORIZED | CAPTURED | DECLINED | FAILED | PENDING      (the acquirer's answer)
 * PENDING     → AUTHORIZED | CAPTURED | DECLINED | FAILED                (the answer, learned later)
 * REQUIRES_REVIEW → AUTHORIZING (a reviewer approved) | CANCELED (a reviewer rejected)
 * AUTHORIZED  → CAPTURING (a capture claimed) | CANCELING (a cancel claimed)
 * CAPTURING   → CAPTURED (all or part; the rest is released) | AUTHORIZED (the acquirer did nothing)
 * CANCELING   → CANCELED (the hold released) | AUTHORIZED (the acquirer did nothing)
 * CAPTURED    → CAPTURED (partial refunds) | REFUNDED (refunded in full) | SETTLED (the acquirer paid it out)
 * SETTLED     → SETTLED (partial refunds) | REFUNDED (refunded in full)
 * </pre>
 *
 * <p>Settlement comes after the capture and changes no amount: a settled payment is refundable exactly as a
 * captured one, and a refund leaves it settled until everything is refunded. A refunded payment stays
 * refunded when its capture settles later (refunded is final); settling anything but a captured payment is
 * refused here, and what to do with such a settlement is the caller's decision.
 *
 * <p>A capture or cancel is claimed (one versioned write) before the acquirer is asked, so of two such
 * requests racing for one payment exactly one reaches the acquirer and the other is refused with the
 * payment's status, whatever the timing; a claim whose answer is lost is finished by the recovery path.
 */
public final class PaymentStateMachine {

    /** Decline code for payments refused by the risk engine. */
    public static final String FRAUDULENT = "fraudulent";

    private PaymentStateMachine() {
    }

    /**
     * A new payment accepted asynchronously: stored as {@code RECEIVED}, with the effect that has it processed
     * (risk, then the acquirer) off the merchant's request. No event: nothing happened to the money yet.
     */
    public static Transition receive(Payment received) {
        if (received.status() != PaymentState.AUTHORIZING || received.risk() != null) {
            throw new IllegalStateException("a payment is received as it is created, before risk");
        }
        return new Transition(received.toBuilder().status(PaymentState.RECEIVED).build(), List.of(), 0, null,
                List.of(new Effect.Process()));
    }

    /**
     * The first state of a new payment, given its risk verdict: blocked payments are declined at once,
     * reviewed ones wait for a reviewer, allowed ones go to the acquirer. A new payment is admitted as it is
     * created ({@code AUTHORIZING}, nothing stored yet) or when the one accepted asynchronously
     * ({@code RECEIVED}) is processed.
     */
    public static Transition admit(Payment received) {
        if (received.status() != PaymentState.AUTHORIZING && received.status() != PaymentState.RECEIVED) {
            throw new IllegalTransitionException(received.status(), "admitted");
        }
        RiskDecision decision = received.risk() == null ? RiskDecision.ALLOW : received.risk().decision();
        return switch (decision) {
            case BLOCK -> new Transition(received.toBuilder()
                    .status(PaymentState.DECLINED)
                    .failure(new Payment.Failure("card_declined", FRAUDULENT, "The payment was declined as likely fraud."))
                    .build(), List.of(EventType.PAYMENT_DECLINED));
            case REVIEW -> new Transition(received.toBuilder()
                    .status(PaymentState.REQUIRES_REVIEW)
                    .build(), List.of(EventType.PAYMENT_REQUIRES_REVIEW));
            case ALLOW -> received.status() == PaymentState.RECEIVED
                    ? new Transition(received.toBuilder().status(PaymentState.AUTHORIZING).build(), List.of())
                    : new Transition(received, List.of());
        };
    }

    /** How much a capture takes: all that is capturable, or the part asked for. */
    public static long captureAmount(Payment payment, Long requested) {
        if (payment.status() != PaymentState.AUTHORIZED) {
            throw new IllegalTransitionException(payment.status(), "captured");
        }
        long amount = requested == null ? payment.amountCapturableMinor() : requested;
        if (amount < 1 || amount > payment.amountCapturableMinor()) {
            throw new InvalidAmountException("amount must be from 1 to " + payment.amountCapturableMinor()
                    + ", the amount still capturable.");
        }
        return settleable(payment, amount);
    }

    /** How much a refund returns: all that is left to refund, or the part asked for. */
    public static long refundAmount(Payment payment, Long requested) {
        if (!payment.status().refundable()) {
            throw new IllegalTransitionException(payment.status(), "refunded");
        }
        long refundable = payment.refundableMinor();
        if (refundable == 0) {
            throw new InvalidAmountException("Nothing is left to refund: every captured amount is refunded or being refunded.");
        }
        long amount = requested == null ? refundable : requested;
        if (amount < 1 || amount > refundable) {
            throw new InvalidAmountException("amount must be from 1 to " + refundable
                    + ", the amount captured and not yet refunded.");
        }
        return settleable(payment, amount);
    }

    /** Card networks settle three-decimal currencies in steps of 10 minor units, partial amounts included. */
    private static long settleable(Payment payment, long amount) {
        if (Currencies.of(payment.currency()).exponent() == 3 && amount % 10 != 0) {
            throw new InvalidAmountException("Card networks settle " + payment.currency()
                    + " in steps of 10 minor units: amount must be a multiple of 10.");
        }
        return amount;
    }

    public static Transition apply(Payment payment, PaymentCommand command) {
        return switch (command) {
            case PaymentCommand.ApplyAuthorization authorization -> applyAuthorization(payment, authorization);
            case PaymentCommand.BeginCapture begin -> beginCapture(payment, begin);
            case PaymentCommand.Captured captured -> captured(payment, captured);
            case PaymentCommand.BeginCancel begin -> beginCancel(payment, begin);
            case PaymentCommand.Cancel cancel -> cancel(payment, cancel);
            case PaymentCommand.OperationFailed failed -> operationFailed(payment, failed);
            case PaymentCommand.ApproveReview approve -> approveReview(payment, approve);
            case PaymentCommand.ReserveRefund reserve -> reserveRefund(payment, reserve);
            case PaymentCommand.FinishRefund finish -> finishRefund(payment, finish);
            case PaymentCommand.Settle settle -> settle(payment, settle);
        };
    }

    private static Transition applyAuthorization(Payment payment, PaymentCommand.ApplyAuthorization result) {
        if (!payment.status().awaitsTheAuthorization()) {
            throw new IllegalTransitionException(payment.status(), "given an authorization result");
        }
        Payment.Builder next = payment.toBuilder().updatedAt(result.at());
        Payment.Authorization where = new Payment.Authorization(result.acquirer(), result.networkReference(),
                result.authorizationCode());
        return switch (result.outcome()) {
            case APPROVED -> result.captured()
                    ? new Transition(next.status(PaymentState.CAPTURED).authorization(where)
                            .captured(payment.amountMinor()).capturable(0).build(),
                            List.of(EventType.PAYMENT_CAPTURED), payment.amountMinor(), null)
                    : new Transition(next.status(PaymentState.AUTHORIZED).authorization(where)
                            .capturable(payment.amountMinor()).build(),
                            List.of(EventType.PAYMENT_AUTHORIZED));
            case DECLINED -> new Transition(next.status(PaymentState.DECLINED).authorization(where)
                    .failure(new Payment.Failure("card_declined", result.declineCode(), "The card was declined."))
                    .build(), List.of(EventType.PAYMENT_DECLINED));
            case FAILED -> new Transition(next.status(PaymentState.FAILED)
                    .failure(new Payment.Failure("processing_error", null, "The payment could not be processed."))
                    .build(), List.of(EventType.PAYMENT_FAILED));
            case UNKNOWN -> payment.status() == PaymentState.PENDING
                    ? new Transition(payment, List.of())
                    // the outcome is not known: the first inquiry leaves with the pending state
                    : new Transition(next.status(PaymentState.PENDING).build(), List.of(EventType.PAYMENT_PENDING), 0, null,
                            List.of(new Effect.Inquire(1)));
        };
    }

    private static Transition beginCapture(Payment payment, PaymentCommand.BeginCapture begin) {
        long amount = captureAmount(payment, begin.requestedMinor());
        // no event: nothing has happened at the acquirer yet
        return new Transition(payment.toBuilder().updatedAt(begin.at()).status(PaymentState.CAPTURING)
                .inFlight(new Payment.InFlight(amount, begin.requestKey(), begin.claim())).build(), List.of());
    }

    private static Transition captured(Payment payment, PaymentCommand.Captured captured) {
        if (payment.status() != PaymentState.CAPTURING) {
            throw new IllegalTransitionException(payment.status(), "captured");
        }
        long amount = payment.inFlight().amountMinor();
        if (captured.amountMinor() != amount) {
            throw new IllegalArgumentException("the acquirer captured " + captured.amountMinor() + ", the claim was for " + amount);
        }
        return new Transition(payment.toBuilder().updatedAt(captured.at()).status(PaymentState.CAPTURED)
                .captured(amount).capturable(0).inFlight(null).build(), List.of(EventType.PAYMENT_CAPTURED), amount, null);
    }

    private static Transition beginCancel(Payment payment, PaymentCommand.BeginCancel begin) {
        if (payment.status() != PaymentState.AUTHORIZED) {
            throw new IllegalTransitionException(payment.status(), "canceled");
        }
        return new Transition(payment.toBuilder().updatedAt(begin.at()).status(PaymentState.CANCELING)
                .inFlight(new Payment.InFlight(0, begin.requestKey(), begin.claim())).build(), List.of());
    }

    private static Transition operationFailed(Payment payment, PaymentCommand.OperationFailed failed) {
        if (!payment.status().holdsAnOperation()) {
            throw new IllegalTransitionException(payment.status(), "given a failed capture or cancel");
        }
        // the acquirer did nothing: the authorization stands as it was, and may be captured or canceled again
        return new Transition(payment.toBuilder().updatedAt(failed.at()).status(PaymentState.AUTHORIZED).inFlight(null)
                .build(), List.of());
    }

    private static Transition approveReview(Payment payment, PaymentCommand.ApproveReview approve) {
        if (payment.status() != PaymentState.REQUIRES_REVIEW) {
            throw new IllegalTransitionException(payment.status(), "approved");
        }
        // no event yet: the authorization that follows announces the outcome
        return new Transition(payment.toBuilder().updatedAt(approve.at()).status(PaymentState.AUTHORIZING).build(), List.of());
    }

    private static Transition cancel(Payment payment, PaymentCommand.Cancel cancel) {
        if (payment.status() != PaymentState.CANCELING && payment.status() != PaymentState.REQUIRES_REVIEW) {
            throw new IllegalTransitionException(payment.status(), "canceled");
        }
        return new Transition(payment.toBuilder().updatedAt(cancel.at()).status(PaymentState.CANCELED).capturable(0)
                .inFlight(null).build(), List.of(EventType.PAYMENT_CANCELED));
    }

    private static Transition settle(Payment payment, PaymentCommand.Settle settle) {
        if (payment.status() != PaymentState.CAPTURED) {
            throw new IllegalTransitionException(payment.status(), "settled");
        }
        if (settle.amountMinor() != payment.amountCapturedMinor() || !payment.currency().equals(settle.currency())) {
            throw new IllegalArgumentException("settled " + settle.amountMinor() + " " + settle.currency() + ", the payment captured "
                    + payment.amountCapturedMinor() + " " + payment.currency());
        }
        // no money moves in the payment's terms: the capture was booked when it happened
        return new Transition(payment.toBuilder().updatedAt(settle.at()).status(PaymentState.SETTLED).build(),
                List.of(EventType.PAYMENT_SETTLED));
    }

    private static Transition reserveRefund(Payment payment, PaymentCommand.ReserveRefund reserve) {
        Refund refund = reserve.refund();
        if (!refund.paymentId().equals(payment.id()) || refund.status() != RefundStatus.PENDING) {
            throw new IllegalArgumentException("a reserved refund is a pending refund of this payment");
        }
        refundAmount(payment, refund.amountMinor());
        return new Transition(payment.toBuilder().updatedAt(reserve.at())
                .refunding(payment.amountRefundingMinor() + refund.amountMinor()).build(), List.of(), 0, refund);
    }

    private static Transition finishRefund(Payment payment, PaymentCommand.FinishRefund finish) {
        Refund refund = finish.refund();
        if (refund.status() == RefundStatus.PENDING || refund.amountMinor() > payment.amountRefundingMinor()) {
            throw new IllegalArgumentException("only a finished refund that was reserved can be applied");
        }
        Payment.Builder next = payment.toBuilder().updatedAt(finish.at())
                .refunding(payment.amountRefundingMinor() - refund.amountMinor());
        if (refund.status() == RefundStatus.FAILED) {
            return new Transition(next.build(), List.of(EventType.REFUND_FAILED), 0, refund);
        }
        long refunded = payment.amountRefundedMinor() + refund.amountMinor();
        next.refunded(refunded);
        if (refunded == payment.amountCapturedMinor()) {
            next.status(PaymentState.REFUNDED);
        }
        return new Transition(next.build(), List.of(EventType.REFUND_SUCCEEDED), refund.amountMinor(), refund);
    }
}
