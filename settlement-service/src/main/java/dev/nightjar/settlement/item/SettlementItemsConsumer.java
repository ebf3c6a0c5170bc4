package dev.nightjar.settlement.item;

import dev.nightjar.common.event.EventCodec;
import dev.nightjar.common.event.EventEnvelope;
import dev.nightjar.common.event.PaymentEvent;
import dev.nightjar.common.event.Topics;
import dev.nightjar.common.kafka.NightjarKafkaConfiguration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;

/** Feeds settlement items from {@code payment_events}; offsets commit after the database does. */
public final class SettlementItemsConsumer {

    private static final Logger log = LoggerFactory.getLogger(SettlementItemsConsumer.class);

    private final SettlementItems items;
    private final KafkaTemplate<String, byte[]> kafka;

    public SettlementItemsConsumer(SettlementItems items, KafkaTemplate<String, byte[]> kafka) {
        this.items = items;
        this.kafka = kafka;
    }

    @KafkaListener(topics = "payment_events", groupId = SettlementItems.CONSUMER,
            containerFactory = NightjarKafkaConfiguration.EVENT_LISTENER_FACTORY)
    public void onBatch(List<ConsumerRecord<String, byte[]>> records) throws Exception {
        List<EventEnvelope<PaymentEvent>> events = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                events.add(EventCodec.decode(Topics.PAYMENT_EVENTS, record.value()));
            } catch (RuntimeException e) {
                log.error("undecodable record at {}-{}@{}, dead-lettered", record.topic(), record.partition(), record.offset());
                kafka.send(new ProducerRecord<>(Topics.deadLetter(Topics.PAYMENT_EVENTS, SettlementItems.CONSUMER),
                        record.key(), record.value())).get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
        items.record(events);
    }
}
