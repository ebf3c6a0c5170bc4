package dev.nightjar.transaction.payment;

import java.time.Instant;

/** What can happen to a payment. Each is applied by {@link PaymentStateMachine}. */
public sealed interface PaymentCommand {

    /** When the command takes effect; becomes the payment's {@code updatedAt}. */
    Instant at();

    /** The acquirer answered (or did not) the authorization. */
    record ApplyAuthorization(Outcome outcome, String acquirer, String networkReference, String authorizationCode,
                              String declineCode, boolean captured, Instant at) implements PaymentCommand {

        /** What the acquirer said. */
        public enum Outcome { APPROVED, DECLINED, FAILED, UNKNOWN }
    }

    /** The acquirer captured {@code amountMinor} of the authorization; the rest of the hold is released. */
    record Captured(long amountMinor, Instant at) implements PaymentCommand {
    }

    /** A reviewer let a payment held for review go on to the acquirer. */
    record ApproveReview(Instant at) implements PaymentCommand {
    }

    /** The payment is canceled: a held payment under review, or an authorization the acquirer released. */
    record Cancel(Instant at) implements PaymentCommand {
    }

    /** A refund is reserved against what the payment captured, before the acquirer is asked. */
    record ReserveRefund(Refund refund, Instant at) implements PaymentCommand {
    }

    /** The acquirer answered a reserved refund: succeeded or failed. */
    record FinishRefund(Refund refund, Instant at) implements PaymentCommand {
    }
}
