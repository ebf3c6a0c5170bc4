package dev.nightjar.contracts.event;

import java.util.List;

/**
 * Every Kafka topic of the fleet, with its payload type. Event topics keep history
 * ({@code cleanup.policy=delete}); keys are merchant ids so one merchant's events stay in order.
 */
public final class Topics {

    /** Payments accepted asynchronously ({@code 202}), each waiting to be processed by transaction-service. */
    public static final Topic<PaymentEvent> PAYMENT_REQUESTS = new Topic<>("payment_requests", PaymentEvent.class, false);
    /** Acquirer outcomes. */
    public static final Topic<AuthResponseEvent> AUTH_RESPONSES = new Topic<>("auth_responses", AuthResponseEvent.class, false);
    /** Risk scores, review flags and decisions. */
    public static final Topic<RiskEvent> RISK_EVENTS = new Topic<>("risk_events", RiskEvent.class, false);
    /** Committed journal entries. */
    public static final Topic<LedgerEntryEvent> LEDGER_ENTRIES = new Topic<>("ledger_entries", LedgerEntryEvent.class, false);
    /** Payment and refund state changes. */
    public static final Topic<PaymentEvent> PAYMENT_EVENTS = new Topic<>("payment_events", PaymentEvent.class, false);
    /** Queued acquirer retries and status inquiries. */
    public static final Topic<PaymentRetryEvent> PAYMENT_RETRIES = new Topic<>("payment_retries", PaymentRetryEvent.class, false);
    /** Settlement batches, clearing and payouts. */
    public static final Topic<SettlementEvent> SETTLEMENT_EVENTS = new Topic<>("settlement_events", SettlementEvent.class, false);

    public static final List<Topic<?>> ALL = List.of(
            PAYMENT_REQUESTS, AUTH_RESPONSES, RISK_EVENTS, LEDGER_ENTRIES,
            PAYMENT_EVENTS, PAYMENT_RETRIES, SETTLEMENT_EVENTS);

    /** Who consumes what, by consumer group: every pair has a dead-letter topic. */
    public record Subscription(Topic<?> topic, String consumerGroup) {
        public String deadLetterTopic() {
            return deadLetter(topic, consumerGroup);
        }
    }

    public static final List<Subscription> SUBSCRIPTIONS = List.of(
            new Subscription(PAYMENT_EVENTS, "ledger-service"),
            new Subscription(SETTLEMENT_EVENTS, "ledger-service"),
            new Subscription(LEDGER_ENTRIES, "settlement-service"),
            new Subscription(PAYMENT_EVENTS, "risk-service"),
            new Subscription(PAYMENT_EVENTS, "gateway-service"),
            new Subscription(PAYMENT_RETRIES, "transaction-service"),
            new Subscription(AUTH_RESPONSES, "transaction-decisions"),
            new Subscription(PAYMENT_REQUESTS, "transaction-requests"),
            new Subscription(RISK_EVENTS, "transaction-reviews"),
            new Subscription(SETTLEMENT_EVENTS, "transaction-settlements"));

    /** Suffix of the dead-letter topic a consumer group writes what it cannot process to. */
    public static final String DEAD_LETTER_SUFFIX = ".dlt";

    private Topics() {
    }

    /** The dead-letter topic of one consumer group on one topic: {@code payment_events.ledger-service.dlt}. */
    public static String deadLetter(Topic<?> topic, String consumerGroup) {
        return topic.name() + "." + consumerGroup + DEAD_LETTER_SUFFIX;
    }
}
