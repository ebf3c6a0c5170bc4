package dev.nightjar.ledger.consumer;

import dev.nightjar.common.event.EventCodec;
import dev.nightjar.common.event.EventEnvelope;
import dev.nightjar.common.event.PaymentEvent;
import dev.nightjar.common.event.Topics;
import dev.nightjar.common.kafka.NightjarKafkaConfiguration;
import dev.nightjar.common.shard.Shard;
import dev.nightjar.common.shard.Shards;
import dev.nightjar.ledger.journal.Journal;
import dev.nightjar.ledger.journal.JournalEntry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Consumes {@code payment_events} in batches and books them. Offsets are committed only after every
 * shard's transaction has committed, and each transaction records the event ids it applied, so a crash
 * anywhere replays the batch and the replay changes nothing.
 */
public final class PaymentEventsConsumer {

    public static final String CONSUMER = "ledger-service";
    private static final Logger log = LoggerFactory.getLogger(PaymentEventsConsumer.class);

    private final Shards shards;
    private final Journal journal;
    private final KafkaTemplate<String, byte[]> kafka;
    private final Counter entries;
    private final Counter deadLettered;

    public PaymentEventsConsumer(Shards shards, Journal journal, KafkaTemplate<String, byte[]> kafka, MeterRegistry meters) {
        this.shards = shards;
        this.journal = journal;
        this.kafka = kafka;
        this.entries = Counter.builder("nightjar.ledger.entries").description("Journal entries written").register(meters);
        this.deadLettered = Counter.builder("nightjar.ledger.dead_lettered")
                .description("Events the ledger could not decode").register(meters);
    }

    @KafkaListener(topics = "payment_events", groupId = CONSUMER,
            containerFactory = NightjarKafkaConfiguration.EVENT_LISTENER_FACTORY)
    public void onBatch(List<ConsumerRecord<String, byte[]>> records) {
        Map<Integer, List<EventEnvelope<PaymentEvent>>> byShard = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            EventEnvelope<PaymentEvent> event;
            try {
                event = EventCodec.decode(Topics.PAYMENT_EVENTS, record.value());
            } catch (RuntimeException e) {
                deadLetter(record, e);
                continue;
            }
            byShard.computeIfAbsent(shards.router().shardOf(event.key()), shard -> new ArrayList<>()).add(event);
        }
        for (Map.Entry<Integer, List<EventEnvelope<PaymentEvent>>> batch : byShard.entrySet()) {
            Shard shard = shards.get(batch.getKey());
            List<JournalEntry> written = journal.record(shard, CONSUMER, batch.getValue());
            entries.increment(written.size());
        }
    }

    private void deadLetter(ConsumerRecord<String, byte[]> record, RuntimeException cause) {
        deadLettered.increment();
        log.error("undecodable record at {}-{}@{}, dead-lettered: {}", record.topic(), record.partition(),
                record.offset(), cause.getMessage());
        try {
            kafka.send(new ProducerRecord<>(Topics.deadLetter(Topics.PAYMENT_EVENTS, CONSUMER), record.key(), record.value()))
                    .get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not dead-letter an undecodable record", e);
        }
    }
}
