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
}
