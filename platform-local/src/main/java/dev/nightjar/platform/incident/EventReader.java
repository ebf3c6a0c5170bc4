package dev.nightjar.platform.incident;

import dev.nightjar.contracts.event.EventCodec;
import dev.nightjar.contracts.event.EventEnvelope;
import dev.nightjar.contracts.event.PaymentEvent;
import dev.nightjar.contracts.event.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Payment and refund state changes from the {@code payment_events} topic, which keeps them after the outboxes
 * delete theirs: read by a consumer of no group (nothing committed, no consumer disturbed), from the first
 * record published at or after the window's start until the end of each partition as it was when reading
 * began. Without a payment every event in the window counts, condensed per type and minute past
 * {@value #LIMIT}.
 */
final class EventReader {

    static final int LIMIT = 200;
    /** How long after it occurred an event may still be published (the outbox relay's lag in a bad minute). */
    private static final Duration RELAY_SLACK = Duration.ofMinutes(5);
    private static final Duration READ_DEADLINE = Duration.ofSeconds(60);
    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(10);
    private static final long MAX_RECORDS = 2_000_000;
    static final String COMPONENT = "transaction-service";

    private EventReader() {
    }

    static Readout read(String bootstrapServers, TimeWindow window, Focus focus) {
        EntryBudget budget = new EntryBudget(LIMIT);
        long undecodable = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config(bootstrapServers),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(Topics.PAYMENT_EVENTS.name(), KAFKA_TIMEOUT)) {
                partitions.add(new TopicPartition(info.topic(), info.partition()));
            }
            Map<TopicPartition, Long> starts = new HashMap<>();
            partitions.forEach(partition -> starts.put(partition, window.from().toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> firsts = consumer.offsetsForTimes(starts, KAFKA_TIMEOUT);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, KAFKA_TIMEOUT);
            Set<TopicPartition> remaining = new HashSet<>();
            firsts.forEach((partition, first) -> {
                if (first != null && first.offset() < ends.get(partition)) {
                    remaining.add(partition);
                }
            });
            consumer.assign(remaining);
            firsts.forEach((partition, first) -> {
                if (remaining.contains(partition)) {
                    consumer.seek(partition, first.offset());
                }
            });
            long stopAfterMillis = window.to().plus(RELAY_SLACK).toEpochMilli();
            long deadline = System.nanoTime() + READ_DEADLINE.toNanos();
            long read = 0;
            while (!remaining.isEmpty()) {
                if (System.nanoTime() > deadline || read >= MAX_RECORDS) {
                    throw new IllegalStateException("payment_events not read to the window's end within "
                            + READ_DEADLINE.toSeconds() + " s and " + MAX_RECORDS + " records; narrow the window");
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (!remaining.contains(partition)) {
                        continue;
                    }
                    read++;
                    if (record.timestamp() > stopAfterMillis || record.offset() + 1 >= ends.get(partition)) {
                        remaining.remove(partition);
                        consumer.pause(List.of(partition));
                    }
                    if (record.timestamp() > stopAfterMillis) {
                        continue;
                    }
                    try {
                        accept(EventCodec.decode(Topics.PAYMENT_EVENTS, record.value()), window, focus, budget);
                    } catch (RuntimeException e) {
                        undecodable++;
                    }
                }
            }
        }
        Readout readout = Readout.of(Entry.Source.EVENT, budget, "events");
        return undecodable == 0 ? readout : readout.withNote(undecodable + " records not decodable", false);
    }

    /** Counts the event when it occurred in the window and, with a payment in focus, is that payment's. */
    static void accept(EventEnvelope<PaymentEvent> event, TimeWindow window, Focus focus, EntryBudget budget) {
        if (window.contains(event.occurredAt())
                && (!focus.hasPayment() || focus.paymentId().equals(event.payload().paymentId()))) {
            budget.add(entry(event), event.type());
        }
    }

    static Entry entry(EventEnvelope<PaymentEvent> event) {
        PaymentEvent payment = event.payload();
        StringBuilder summary = new StringBuilder(event.type()).append(' ').append(payment.paymentId()).append(": ")
                .append(payment.status() == null ? null : payment.status().wire()).append(' ').append(payment.amountMinor()).append(' ').append(payment.currency());
        if (payment.refundId() != null) {
            summary.append(", refund ").append(payment.refundId()).append(' ').append(payment.changeAmountMinor());
        }
        appendIfPresent(summary, "acquirer", payment.acquirer());
        appendIfPresent(summary, "decline_code", payment.declineCode());
        appendIfPresent(summary, "failure_code", payment.failureCode());
        appendIfPresent(summary, "risk", payment.riskDecision() == null ? null : payment.riskDecision().wire());
        Map<String, String> details = new LinkedHashMap<>();
        details.put("event_id", event.eventId());
        details.put("type", event.type());
        details.put("payment_id", payment.paymentId());
        details.put("merchant_id", payment.merchantId());
        details.put("status", payment.status() == null ? null : payment.status().wire());
        if (payment.refundId() != null) {
            details.put("refund_id", payment.refundId());
        }
        return new Entry(event.occurredAt(), Entry.Source.EVENT, COMPONENT, null, summary.toString(),
                Entry.traceIdOf(event.traceparent()), details);
    }

    private static void appendIfPresent(StringBuilder summary, String name, String value) {
        if (value != null) {
            summary.append(", ").append(name).append(' ').append(value);
        }
    }

    private static Map<String, Object> config(String bootstrapServers) {
        return Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "nightjar-incident-timeline",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000,
                ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) KAFKA_TIMEOUT.toMillis(),
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) KAFKA_TIMEOUT.toMillis());
    }
}
