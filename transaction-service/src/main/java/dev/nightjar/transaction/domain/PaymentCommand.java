package dev.nightjar.transaction.domain;

import dev.nightjar.contracts.contract.AcquirerOutcome;
import java.time.Instant;

/** What can happen to a payment. Each is applied by {@link PaymentStateMachine}. */
public sealed interface PaymentCommand {

    /** When the command takes effect; becomes the payment's {@code updatedAt}. */
    Instant at();

    /** The acquirer answered (or did not) the authorization. */
    record ApplyAuthorization(Outcome outcome, String acquirer, String networkReference, String authorizationCode,
                              String declineCode, boolean captured, Instant at) implements PaymentCommand {

        /** What the acquirer said. */
        public enum Outcome {
            APPROVED, DECLINED, FAILED, UNKNOWN;

            /** The contract's word for it: an authorization never sent is, to the payment, not known yet. */
            public static Outcome of(AcquirerOutcome outcome) {
                return switch (outcome) {
                    case APPROVED -> APPROVED;
                    case DECLINED -> DECLINED;
                    case FAILED -> FAILED;
                    // nothing sent: the payment waits and is asked again, as for an outcome not known
                    case NOT_SENT, UNKNOWN -> UNKNOWN;
                };
            }
        }
    }

    /**
     * A capture of all that is capturable ({@code requestedMinor} null) or part of it is claimed before the
     * acquirer is asked, so no other capture or cancel can start meanwhile. {@code requestKey} names the
     * request (a keyed hash of its Idempotency-Key, or null); {@code claim} is the new claim's own id.
     */
    record BeginCapture(Long requestedMinor, String requestKey, String claim, Instant at) implements PaymentCommand {
    }

    /** The acquirer captured the claimed amount of the authorization; the rest of the hold is released. */
    record Captured(long amountMinor, Instant at) implements PaymentCommand {
    }

    /** A cancel of an authorization is claimed before the acquirer is asked to release it. */
    record BeginCancel(String requestKey, String claim, Instant at) implements PaymentCommand {
    }

    /** The acquirer did nothing with the claimed capture or cancel (declined it, or failed for certain). */
    record OperationFailed(Instant at) implements PaymentCommand {
    }

    /** A reviewer let a payment held for review go on to the acquirer. */
    record ApproveReview(Instant at) implements PaymentCommand {
    }

    /** The payment is canceled: a held payment rejected in review, or a claimed cancel the acquirer carried out. */
    record Cancel(Instant at) implements PaymentCommand {
    }

    /**
     * The acquirer settled the payment's capture: {@code amountMinor} of {@code currency}, which must be what
     * the payment captured (settlement only posts captures it settled for the booked amount).
     */
    record Settle(long amountMinor, String currency, Instant at) implements PaymentCommand {
    }

    /** A refund is reserved against what the payment captured, before the acquirer is asked. */
    record ReserveRefund(Refund refund, Instant at) implements PaymentCommand {
    }

    /** The acquirer answered a reserved refund: succeeded or failed. */
    record FinishRefund(Refund refund, Instant at) implements PaymentCommand {
    }
}
