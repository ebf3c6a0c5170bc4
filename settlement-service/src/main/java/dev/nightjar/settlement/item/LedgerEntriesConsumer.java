package dev.nightjar.settlement.item;

import dev.nightjar.common.kafka.DeadLetters;
import dev.nightjar.common.kafka.NightjarKafkaConfiguration;
import dev.nightjar.common.observability.EventSpans;
import dev.nightjar.contracts.event.EventCodec;
import dev.nightjar.contracts.event.EventEnvelope;
import dev.nightjar.contracts.event.LedgerEntryEvent;
import dev.nightjar.contracts.event.Topics;
import dev.nightjar.contracts.money.Currencies;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Feeds settlement items from the ledger's committed entries ({@code ledger_entries}, read committed):
 * captures and refunds become items, other kinds are not settlement's business. A Kafka batch is recorded
 * in one statement; offsets commit after the database does. Records that do not decode, and capture or
 * refund entries that lack what settlement needs, go to the dead-letter topic instead of blocking the stream.
 */
public final class LedgerEntriesConsumer {

    public static final String CONSUMER = "settlement-service";

    private static final Logger log = LoggerFactory.getLogger(LedgerEntriesConsumer.class);

    private final SettlementItems items;
    private final KafkaTemplate<String, byte[]> kafka;
    private final Counter recorded;
    private final Counter deadLettered;
    private final EventSpans spans;

    public LedgerEntriesConsumer(SettlementItems items, KafkaTemplate<String, byte[]> kafka, MeterRegistry meters,
                                 EventSpans spans) {
        this.spans = spans;
        this.items = items;
        this.kafka = kafka;
        this.recorded = Counter.builder("nightjar.settlement.items.recorded")
                .description("Ledger capture and refund entries recorded as settlement items").register(meters);
        this.deadLettered = Counter.builder("nightjar.settlement.dead_lettered")
                .description("Ledger entries settlement-service could not decode or use").register(meters);
    }

    @KafkaListener(topics = "ledger_entries", groupId = CONSUMER,
            containerFactory = NightjarKafkaConfiguration.EVENT_LISTENER_FACTORY)
    public void onBatch(List<ConsumerRecord<String, byte[]>> records) {
        List<DeadLetters.Decoded<LedgerEntryEvent>> decoded =
                DeadLetters.decodeRecords(records, Topics.LEDGER_ENTRIES, CONSUMER, kafka, deadLettered);
        spans.consume("settlement.record", decoded, spanned -> record(decoded));
    }

    private void record(List<DeadLetters.Decoded<LedgerEntryEvent>> decoded) {
        List<SettlementItem> batch = new ArrayList<>();
        for (DeadLetters.Decoded<LedgerEntryEvent> record : decoded) {
            EventEnvelope<LedgerEntryEvent> event = record.event();
            LedgerEntryEvent entry = event.payload();
            if (!LedgerEntryEvent.CAPTURE.equals(entry.kind()) && !LedgerEntryEvent.REFUND.equals(entry.kind())) {
                continue;
            }
            String problem = problemWith(entry);
            if (problem != null) {
                deadLettered.increment();
                log.error("ledger entry {} cannot be settled ({}), dead-lettered", entry.entryId(), problem);
                DeadLetters.send(kafka, Topics.LEDGER_ENTRIES, CONSUMER, event.key(), EventCodec.encode(event));
                continue;
            }
            batch.add(new SettlementItem(entry.entryId(), entry.paymentId(), entry.merchantId(), entry.acquirer(),
                    entry.kind(), entry.amountMinor(), entry.feeMinor(), entry.currency(), entry.authorizationReference(),
                    entry.createdAt()));
        }
        recorded.increment(items.record(batch));
    }

    /** What makes a capture or refund entry unusable for settlement, or null when nothing does. */
    static String problemWith(LedgerEntryEvent entry) {
        if (entry.entryId() == null || entry.paymentId() == null || entry.merchantId() == null || entry.acquirer() == null
                || entry.createdAt() == null) {
            return "entry_id, payment_id, merchant_id, acquirer and created_at are required";
        }
        if (entry.currency() == null || !Currencies.isKnown(entry.currency())) {
            return "unknown currency " + entry.currency();
        }
        if (entry.amountMinor() <= 0 || entry.feeMinor() < 0) {
            return "amount must be positive and fee not negative";
        }
        return null;
    }
}
