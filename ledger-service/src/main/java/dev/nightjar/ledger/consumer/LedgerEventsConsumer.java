package dev.nightjar.ledger.consumer;

import dev.nightjar.common.kafka.DeadLetters;
import dev.nightjar.common.observability.EventSpans;
import dev.nightjar.common.shard.Shards;
import dev.nightjar.contracts.event.EventCodec;
import dev.nightjar.contracts.event.LedgerEntryEvent;
import dev.nightjar.contracts.event.Topic;
import dev.nightjar.contracts.event.Topics;
import dev.nightjar.ledger.journal.Journal;
import dev.nightjar.ledger.journal.JournalEntry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Books {@code payment_events} and {@code settlement_events} exactly once. Each batch runs inside a Kafka
 * transaction the listener container opens: the entries are written in one database transaction per
 * shard (which also records the event ids and where they were read), then published on
 * {@code ledger_entries} in the Kafka transaction, which commits the consumed offsets with them.
 * <ul>
 *   <li>A crash before the database commits replays the batch from scratch.</li>
 *   <li>A crash after it replays the batch into the database's deduplication, which hands back the entries
 *       the first attempt wrote for the very same records, so they are published now, once.</li>
 *   <li>A crash before the Kafka commit aborts what was sent: read-committed consumers never see it.</li>
 * </ul>
 */
public final class LedgerEventsConsumer {

    public static final String CONSUMER = "ledger-service";
    public static final String ENTRY_COMMITTED = "ledger.entry_committed";

    private final Shards shards;
    private final Journal journal;
    private final KafkaTemplate<String, byte[]> kafka;
    private final CrashPoints crashPoints;
    private final Counter written;
    private final Counter republished;
    private final Counter deadLettered;
    private final EventSpans spans;
    private final BookingLag bookingLag;

    public LedgerEventsConsumer(Journal journal, KafkaTemplate<String, byte[]> transactionalKafka, CrashPoints crashPoints,
                                MeterRegistry meters, EventSpans spans) {
        this.spans = spans;
        this.shards = journal.shards();
        this.journal = journal;
        this.kafka = transactionalKafka;
        this.crashPoints = crashPoints;
        this.written = Counter.builder("nightjar.ledger.entries").description("Journal entries written").register(meters);
        this.republished = Counter.builder("nightjar.ledger.entries_republished")
                .description("Entries of replayed records published again after a crash before the Kafka commit")
                .register(meters);
        this.deadLettered = Counter.builder("nightjar.ledger.dead_lettered")
                .description("Events the ledger could not decode").register(meters);
        this.bookingLag = new BookingLag(meters, java.time.Clock.systemUTC());
    }

    @KafkaListener(topics = {"payment_events", "settlement_events"}, groupId = "${nightjar.ledger.consumer-group:" + CONSUMER + "}",
            containerFactory = TransactionalListener.FACTORY)
    public void onBatch(List<ConsumerRecord<String, byte[]>> records) {
        Map<Integer, List<Journal.Consumed>> byShard = new TreeMap<>();
        List<DeadLetters.Decoded<?>> decoded = new ArrayList<>();
        decoded.addAll(decode(records, Topics.PAYMENT_EVENTS, byShard));
        decoded.addAll(decode(records, Topics.SETTLEMENT_EVENTS, byShard));
        spans.consume("ledger.book", decoded, spanned -> book(byShard, spanned));
    }

    private void book(Map<Integer, List<Journal.Consumed>> byShard, EventSpans.Batch spanned) {
        List<JournalEntry> toPublish = new ArrayList<>();
        for (Map.Entry<Integer, List<Journal.Consumed>> batch : byShard.entrySet()) {
            Journal.Recorded recorded = journal.record(shards.get(batch.getKey()), CONSUMER, batch.getValue(),
                    () -> crashPoints.reached(CrashPoints.BEFORE_DATABASE_COMMIT));
            written.increment(recorded.written().size());
            bookingLag.written(batch.getValue(), recorded.written());
            republished.increment(recorded.replayed().size());
            toPublish.addAll(recorded.replayed());
            toPublish.addAll(recorded.written());
        }
        crashPoints.reached(CrashPoints.AFTER_DATABASE_COMMIT);
        for (JournalEntry entry : toPublish) {
            kafka.send(new ProducerRecord<>(Topics.LEDGER_ENTRIES.name(), entry.merchantId(),
                    EventCodec.encode(EventCodec.envelope(ENTRY_COMMITTED, entry.merchantId(), event(entry),
                            spanned.traceparent(entry.sourceEventId())))));
        }
        kafka.flush();
        crashPoints.reached(CrashPoints.BEFORE_KAFKA_COMMIT);
    }

    private <P> List<DeadLetters.Decoded<P>> decode(List<ConsumerRecord<String, byte[]>> records, Topic<P> topic,
                                                     Map<Integer, List<Journal.Consumed>> byShard) {
        List<ConsumerRecord<String, byte[]>> ofTopic = records.stream().filter(r -> r.topic().equals(topic.name())).toList();
        if (ofTopic.isEmpty()) {
            return List.of();
        }
        List<DeadLetters.Decoded<P>> all = DeadLetters.decodeRecords(ofTopic, topic, CONSUMER, kafka, deadLettered);
        for (DeadLetters.Decoded<P> decoded : all) {
            ConsumerRecord<String, byte[]> record = decoded.record();
            byShard.computeIfAbsent(shards.router().shardOf(decoded.event().key()), shard -> new ArrayList<>())
                    .add(new Journal.Consumed(decoded.event(), record.topic(), record.partition(), record.offset()));
        }
        return all;
    }

    private LedgerEntryEvent event(JournalEntry entry) {
        return new LedgerEntryEvent(entry.id(), shards.router().shardOf(entry.merchantId()), entry.sequence(), entry.kind(),
                entry.merchantId(), entry.paymentId(), entry.acquirer(), entry.authorizationReference(),
                entry.sourceEventId(), entry.description(), entry.createdAt(), entry.currency(), entry.amountMinor(),
                entry.feeMinor(), entry.postings().stream()
                        .map(p -> new LedgerEntryEvent.Posting(p.account(), p.amountMinor(), p.currency())).toList());
    }
}
