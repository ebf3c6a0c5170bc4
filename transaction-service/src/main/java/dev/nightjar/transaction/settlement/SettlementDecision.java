package dev.nightjar.transaction.settlement;

import dev.nightjar.contracts.event.SettlementEvent;
import dev.nightjar.transaction.domain.Payment;
import dev.nightjar.transaction.domain.PaymentCommand;
import dev.nightjar.transaction.domain.PaymentStateMachine;
import dev.nightjar.transaction.domain.Transition;
import java.time.Instant;

/**
 * What settlement's word that the acquirer paid a capture out does to the payment it names: a pure function of
 * the payment as stored (null when there is none) and the event, tested without Spring.
 * <ul>
 *   <li>captured, for the captured amount and currency: settled, announced by {@code payment.settled};</li>
 *   <li>settled already (the same capture posted again under another event id): nothing;</li>
 *   <li>refunded in full: nothing, refunded is final; the refund settles in its own right;</li>
 *   <li>anything else is parked with a reason, to be decided again later: a payment not captured yet (its
 *       capture not applied here yet), one that ended without a capture, another amount, or no payment.</li>
 * </ul>
 * In a healthy platform only the first three happen: settlement settles what the ledger booked, and the
 * ledger books a capture from the event this service wrote in the transaction that captured the payment.
 */
public sealed interface SettlementDecision {

    /** Parked: the payment is not captured here yet; a later capture lets the settlement apply. */
    String NOT_CAPTURED = "not_captured";
    /** Parked: the payment ended declined, canceled or failed, so no capture can come. */
    String ENDED_WITHOUT_CAPTURE = "ended_without_capture";
    /** Parked: the settled amount or currency is not what the payment captured. */
    String AMOUNT_DIFFERS = "amount_differs";
    /** Parked: no such payment of that merchant here. */
    String UNKNOWN_PAYMENT = "unknown_payment";

    /** The payment becomes settled: commit this transition. */
    record Settle(Transition transition) implements SettlementDecision {
    }

    /** Nothing to change: the settlement is already reflected, or cannot change a final state. */
    record Acknowledge(PaymentSettlements.Result result) implements SettlementDecision {
    }

    /** It cannot apply now; keep it with the reason and decide again later. */
    record Park(String reason) implements SettlementDecision {
    }

    static SettlementDecision of(Payment payment, SettlementEvent settled, Instant at) {
        if (payment == null) {
            return new Park(UNKNOWN_PAYMENT);
        }
        return switch (payment.status()) {
            case CAPTURED -> payment.amountCapturedMinor() == settled.amountMinor()
                    && payment.currency().equals(settled.currency())
                    ? new Settle(PaymentStateMachine.apply(payment,
                            new PaymentCommand.Settle(settled.amountMinor(), settled.currency(), at)))
                    : new Park(AMOUNT_DIFFERS);
            case SETTLED -> new Acknowledge(PaymentSettlements.Result.ALREADY_SETTLED);
            case REFUNDED -> new Acknowledge(PaymentSettlements.Result.ALREADY_REFUNDED);
            case RECEIVED, AUTHORIZING, PENDING, REQUIRES_REVIEW, AUTHORIZED, CAPTURING, CANCELING -> new Park(NOT_CAPTURED);
            case DECLINED, CANCELED, FAILED -> new Park(ENDED_WITHOUT_CAPTURE);
        };
    }
}
