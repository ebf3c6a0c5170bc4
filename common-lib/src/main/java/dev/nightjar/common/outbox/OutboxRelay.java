package dev.nightjar.common.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import dev.nightjar.common.observability.EventSpans;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.nightjar.common.lifecycle.Worker;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes one database's outbox to Kafka in batches, in insertion order, then deletes what was
 * acknowledged. One relay per database holds a transaction-scoped advisory lock while it works, so
 * replicas of a service never publish the same rows concurrently or out of order. Delivery is at least
 * once (a crash between the broker's acknowledgement and the delete republishes); consumers deduplicate
 * by event id.
 */
public final class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    private static final int BATCH_SIZE = 500;
    private static final Duration IDLE_WAIT_MIN = Duration.ofMillis(5);
    private static final Duration IDLE_WAIT_MAX = Duration.ofMillis(100);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);
    private static final long LOCK_KEY = 0x4E4A_4F55_5442_4F58L;

    private record Row(long id, String topic, String key, String eventId, String type, String traceparent, byte[] payload) {
    }

    private final String name;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final KafkaTemplate<String, byte[]> kafka;
    private final Counter published;
    private final Worker worker;
    private final EventSpans spans;
    private final OutboxGauges gauges;

    public OutboxRelay(String name, DataSource dataSource, KafkaTemplate<String, byte[]> kafka, MeterRegistry meters) {
        this(name, dataSource, kafka, meters, EventSpans.none());
    }

    /** With tracing, each published event gets a producer span in the trace of the request that wrote it. */
    public OutboxRelay(String name, DataSource dataSource, KafkaTemplate<String, byte[]> kafka, MeterRegistry meters,
                       EventSpans spans) {
        this.name = name;
        this.spans = spans;
        this.jdbc = JdbcClient.create(dataSource);
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.kafka = kafka;
        this.published = Counter.builder("nightjar.outbox.published")
                .description("Events published from a transactional outbox to Kafka")
                .tag("outbox", name)
                .register(meters);
        this.worker = new Worker("outbox-relay-" + name, this::loop);
        this.gauges = new OutboxGauges(name, dataSource, meters);
    }

    /** Publishes at most one batch; returns how many events went out. Public for tests and for draining at shutdown. */
    public int publishBatch() {
        // An empty outbox, what most polls find, costs one statement outside a transaction: not a transaction of
        // three statements (begin, lock, read) and its commit.
        if (jdbc.sql("SELECT id FROM outbox ORDER BY id LIMIT 1").query(Long.class).optional().isEmpty()) {
            return 0;
        }
        Integer count = transactions.execute(status -> {
            Boolean locked = jdbc.sql("SELECT pg_try_advisory_xact_lock(:key)").param("key", LOCK_KEY)
                    .query(Boolean.class).single();
            if (!Boolean.TRUE.equals(locked)) {
                return 0;
            }
            List<Row> rows = jdbc.sql("""
                            SELECT id, topic, message_key, event_id, event_type, traceparent, payload
                            FROM outbox ORDER BY id LIMIT :limit""")
                    .param("limit", BATCH_SIZE)
                    .query((rs, n) -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getBytes(7)))
                    .list();
            if (rows.isEmpty()) {
                return 0;
            }
            List<CompletableFuture<?>> sends = new ArrayList<>(rows.size());
            List<Span> published = new ArrayList<>();
            for (Row row : rows) {
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(row.topic(), row.key(), row.payload());
                record.headers().add(new RecordHeader("event_id", row.eventId().getBytes(StandardCharsets.UTF_8)));
                record.headers().add(new RecordHeader("event_type", row.type().getBytes(StandardCharsets.UTF_8)));
                Span span = spans.child("outbox.publish", Span.Kind.PRODUCER, row.traceparent(),
                        Map.of("messaging.system", "kafka", "messaging.destination.name", row.topic(), "event.type", row.type()));
                if (span == null) {
                    if (row.traceparent() != null) {
                        record.headers().add(new RecordHeader(EventSpans.TRACEPARENT, row.traceparent().getBytes(StandardCharsets.UTF_8)));
                    }
                    sends.add(kafka.send(record));
                    continue;
                }
                published.add(span);
                // In the span's scope, the template's own observation is its child and writes the record's traceparent.
                try (Tracer.SpanInScope scope = spans.inScope(span)) {
                    sends.add(kafka.send(record));
                }
            }
            kafka.flush();
            try {
                CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
                        .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                published.forEach(span -> span.error(e).end());
                // Nothing is deleted: the whole batch is retried, and consumers drop what they already saw.
                throw new IllegalStateException("outbox " + name + ": Kafka did not acknowledge the batch", e);
            }
            published.forEach(Span::end);
            List<Long> ids = rows.stream().map(Row::id).toList();
            jdbc.sql("DELETE FROM outbox WHERE id IN (:ids)").param("ids", ids).update();
            return rows.size();
        });
        int n = count == null ? 0 : count;
        published.increment(n);
        return n;
    }

    private void loop() {
        Duration wait = IDLE_WAIT_MIN;
        while (worker.isRunning()) {
            try {
                int n = publishBatch();
                if (n >= BATCH_SIZE) {
                    wait = IDLE_WAIT_MIN;
                    continue;
                }
                wait = n > 0 ? IDLE_WAIT_MIN : min(wait.multipliedBy(2), IDLE_WAIT_MAX);
            } catch (RuntimeException e) {
                log.warn("outbox {} relay failed, retrying: {}", name, e.getMessage());
                wait = IDLE_WAIT_MAX.multipliedBy(5);
            }
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public void start() {
        worker.start();
        gauges.start();
    }

    @Override
    public void stop() {
        gauges.stop();
        worker.stop();
    }

    @Override
    public boolean isRunning() {
        return worker.isRunning();
    }
}
