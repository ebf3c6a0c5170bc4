package dev.nightjar.transaction.domain;

import dev.nightjar.contracts.event.EventType;
import java.util.List;

/**
 * The result of applying a command: the payment's next state, the event types that announce it, the
 * money this change moved (captured now, refunded now), for refund changes the refund, and the effects the
 * change asks for (an inquiry when the acquirer's answer is unknown).
 */
public record Transition(Payment payment, List<EventType> eventTypes, long changeAmountMinor, Refund refund,
                         List<Effect> effects) {

    public Transition {
        eventTypes = List.copyOf(eventTypes);
        effects = List.copyOf(effects);
    }

    public Transition(Payment payment, List<EventType> eventTypes, long changeAmountMinor, Refund refund) {
        this(payment, eventTypes, changeAmountMinor, refund, List.of());
    }

    public Transition(Payment payment, List<EventType> eventTypes) {
        this(payment, eventTypes, 0, null);
    }
}
