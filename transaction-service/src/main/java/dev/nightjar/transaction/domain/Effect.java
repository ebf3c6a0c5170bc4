package dev.nightjar.transaction.domain;

/**
 * What a transition asks for besides the payment's next state and its events. The caller carries it out in
 * the same statement that writes the transition, through the outbox, so an effect is never lost and never
 * happens for a change that did not commit.
 */
public sealed interface Effect {

    /**
     * Ask the acquirer again about the payment's authorization, with the same reference, so that it answers
     * what it did instead of charging again: inquiry number {@code attempt}, due as {@link InquirySchedule}
     * says.
     */
    record Inquire(int attempt) implements Effect {

        public Inquire {
            if (attempt < 1) {
                throw new IllegalArgumentException("inquiries count from 1");
            }
        }
    }

    /**
     * Process the payment accepted asynchronously: risk, then the acquirer, as a synchronous create does,
     * by a consumer of {@code payment_requests}.
     */
    record Process() implements Effect {
    }
}
