package dev.nightjar.transaction.payment;

import java.util.List;

/** The result of applying a command: the payment's next state and the event types that announce it. */
public record Transition(Payment payment, List<String> eventTypes) {

    public Transition {
        eventTypes = List.copyOf(eventTypes);
    }
}
