package dev.nightjar.transaction.domain;

import dev.nightjar.contracts.event.EventType;
import java.util.List;

/**
 * The result of applying a command: the payment's next state, the event types that announce it, the
 * money this change moved (captured now, refunded now) and, for refund changes, the refund.
 */
public record Transition(Payment payment, List<EventType> eventTypes, long changeAmountMinor, Refund refund) {

    public Transition {
        eventTypes = List.copyOf(eventTypes);
    }

    public Transition(Payment payment, List<EventType> eventTypes) {
        this(payment, eventTypes, 0, null);
    }
}
