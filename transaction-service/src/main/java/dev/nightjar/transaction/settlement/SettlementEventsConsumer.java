package dev.nightjar.transaction.settlement;

import dev.nightjar.common.kafka.DeadLetters;
import dev.nightjar.common.kafka.NightjarKafkaConfiguration;
import dev.nightjar.common.observability.EventSpans;
import dev.nightjar.contracts.event.EventCodec;
import dev.nightjar.contracts.event.EventEnvelope;
import dev.nightjar.contracts.event.EventType;
import dev.nightjar.contracts.event.SettlementEvent;
import dev.nightjar.contracts.event.Topics;
import dev.nightjar.contracts.id.Ids;
import dev.nightjar.contracts.money.Currencies;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Reads {@code settlement_events} (group {@value PaymentSettlements#CONSUMER}) for settlement's
 * {@code payment.settled}, each applied by {@link PaymentSettlements} in a transaction of its own, in order;
 * offsets are committed after the batch. {@code settlement.merchant_settled} is the ledger's to book and is
 * skipped. Records that do not decode, and {@code payment.settled} events lacking what a settlement needs,
 * go to {@code settlement_events.transaction-settlements.dlt}.
 *
 * <p>The {@code payment.settled} this service writes in turn travels on {@code payment_events}, which this
 * service does not read, with the payment as its payload: the ledger books nothing for it (the money moved
 * at the capture and is settled by {@code settlement.merchant_settled}), so there is no loop and nothing is
 * booked twice.
 */
public final class SettlementEventsConsumer {

    private static final Logger log = LoggerFactory.getLogger(SettlementEventsConsumer.class);

    private final PaymentSettlements settlements;
    private final KafkaTemplate<String, byte[]> kafka;
    private final Counter deadLettered;
    private final EventSpans spans;

    public SettlementEventsConsumer(PaymentSettlements settlements, KafkaTemplate<String, byte[]> kafka, MeterRegistry meters,
                                    EventSpans spans) {
        this.settlements = settlements;
        this.kafka = kafka;
        this.spans = spans;
        this.deadLettered = Counter.builder("nightjar.payments.settlements_dead_lettered")
                .description("settlement_events records transaction-service could not decode or use").register(meters);
    }

    @KafkaListener(topics = "settlement_events",
            groupId = "${nightjar.transaction.settlements.consumer-group:" + PaymentSettlements.CONSUMER + "}",
            containerFactory = NightjarKafkaConfiguration.EVENT_LISTENER_FACTORY)
    public void onBatch(List<ConsumerRecord<String, byte[]>> records) {
        List<DeadLetters.Decoded<SettlementEvent>> decoded = DeadLetters.decodeRecords(records, Topics.SETTLEMENT_EVENTS,
                PaymentSettlements.CONSUMER, kafka, deadLettered);
        spans.consume("transaction.settle", decoded, spanned -> decoded.forEach(record -> settle(record.event())));
    }

    private void settle(EventEnvelope<SettlementEvent> event) {
        if (!EventType.PAYMENT_SETTLED.typeOf(event)) {
            return;
        }
        String problem = problemWith(event);
        if (problem != null) {
            deadLettered.increment();
            log.error("settlement event {} cannot be applied ({}), dead-lettered", event.eventId(), problem);
            DeadLetters.send(kafka, Topics.SETTLEMENT_EVENTS, PaymentSettlements.CONSUMER, event.key(), EventCodec.encode(event));
            return;
        }
        settlements.receive(event);
    }

    /** What makes a {@code payment.settled} unusable, or null when nothing does. */
    static String problemWith(EventEnvelope<SettlementEvent> event) {
        SettlementEvent settled = event.payload();
        if (settled.merchantId() == null || !settled.merchantId().equals(event.key())) {
            return "merchant_id is required and must be the event's key";
        }
        if (!Ids.isValid(settled.paymentId(), Ids.PAYMENT)) {
            return "payment_id must be a payment id";
        }
        if (settled.amountMinor() <= 0 || settled.currency() == null || !Currencies.isKnown(settled.currency())) {
            return "a positive amount in a known currency is required";
        }
        return null;
    }
}
