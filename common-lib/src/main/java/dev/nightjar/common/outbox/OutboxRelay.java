package dev.nightjar.common.outbox;

import dev.nightjar.common.lifecycle.Worker;
import dev.nightjar.common.observability.EventSpans;
import dev.nightjar.common.observability.TraceContexts;
import dev.nightjar.common.observability.UnrecordedKafkaSends;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 *
 * <p>The relay looks when its {@link OutboxSignal} is raised (a writer of this process committed rows) and
 * otherwise once per poll interval, for rows no signal announced: written by another replica whose relay
 * then held the lock, or left by a crash.
 *
 * <p>After a batch that did not fill, the relay lets rows gather for its {@link Pacing#linger() linger} before
 * it takes the next: the first row after a quiet spell leaves at once, and the rows of a busy spell leave
 * together, one transaction, one delete and one Kafka flush for several payments instead of one each.
 */
public final class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    private static final int BATCH_SIZE = 500;
    /** How often the relay looks when no signal came. */
    public static final Duration POLL = Duration.ofSeconds(1);
    /** How soon it looks again when another replica's relay held the outbox. */
    private static final Duration BUSY_WAIT = Duration.ofMillis(5);
    private static final Duration FAILURE_WAIT = Duration.ofMillis(500);
    private static final int BUSY = -1;
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);
    /** The transaction-scoped advisory lock the relays of one outbox take in turn. */
    public static final long LOCK_KEY = 0x4E4A_4F55_5442_4F58L;

    /**
     * When the relay looks: every {@code poll} when no signal came, and no sooner than {@code linger} after a batch
     * that did not fill ({@link Duration#ZERO} publishes each signalled row at once).
     */
    public record Pacing(Duration poll, Duration linger) {
        public Pacing {
            if (poll.isNegative() || poll.isZero() || linger.isNegative()) {
                throw new IllegalArgumentException("outbox pacing needs a positive poll and a linger of zero or more, not "
                        + poll + " and " + linger);
            }
        }
    }

    private record Row(long id, String topic, String key, String eventId, String type, String traceparent, byte[] payload) {
    }

    private final String name;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final KafkaTemplate<String, byte[]> kafka;
    private final Counter published;
    private final Counter batches;
    private final Worker worker;
    private final EventSpans spans;
    private final OutboxGauges gauges;
    private final OutboxSignal signal;
    private final Pacing pacing;
    private final UnrecordedKafkaSends<String, byte[]> unrecorded;

    public OutboxRelay(String name, DataSource dataSource, KafkaTemplate<String, byte[]> kafka, MeterRegistry meters) {
        this(name, dataSource, kafka, meters, EventSpans.none());
    }

    /** With tracing, each published event gets a producer span in the trace of the request that wrote it. */
    public OutboxRelay(String name, DataSource dataSource, KafkaTemplate<String, byte[]> kafka, MeterRegistry meters,
                       EventSpans spans) {
        this(name, dataSource, kafka, meters, spans, new OutboxSignal(), new Pacing(POLL, Duration.ZERO));
    }

    /** Woken by {@code signal}, the one the database's writers raise, as {@code pacing} allows. */
    public OutboxRelay(String name, DataSource dataSource, KafkaTemplate<String, byte[]> kafka, MeterRegistry meters,
                       EventSpans spans, OutboxSignal signal, Pacing pacing) {
        this(name, dataSource, kafka, meters, spans, signal, pacing, null);
    }

    /**
     * As above, with the events of a trace nobody records sent by {@code unrecorded}: without a producer span or the
     * template's observation, their {@code traceparent} as written ({@code null}: every event through {@code kafka}).
     */
    public OutboxRelay(String name, DataSource dataSource, KafkaTemplate<String, byte[]> kafka, MeterRegistry meters,
                       EventSpans spans, OutboxSignal signal, Pacing pacing,
                       UnrecordedKafkaSends<String, byte[]> unrecorded) {
        this.name = name;
        this.unrecorded = unrecorded;
        this.signal = signal;
        this.pacing = pacing;
        this.spans = spans;
        this.jdbc = JdbcClient.create(dataSource);
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.kafka = kafka;
        this.published = Counter.builder("nightjar.outbox.published")
                .description("Events published from a transactional outbox to Kafka")
                .tag("outbox", name)
                .register(meters);
        this.batches = Counter.builder("nightjar.outbox.batches")
                .description("Batches an outbox relay published: each one transaction and one Kafka flush")
                .tag("outbox", name)
                .register(meters);
        this.worker = new Worker("outbox-relay-" + name, this::loop);
        this.gauges = new OutboxGauges(name, dataSource, meters);
    }

    /** The signal this relay waits on: give it to the writers of its database. */
    public OutboxSignal signal() {
        return signal;
    }

    /** Publishes at most one batch; returns how many events went out. Public for tests and for draining at shutdown. */
    public int publishBatch() {
        return Math.max(0, publish(true));
    }

    /**
     * One batch: how many events went out, or {@link #BUSY} when another relay holds this outbox. {@code look}
     * first checks for a row with one statement outside a transaction, for polls, which mostly find the outbox
     * empty; a relay woken by its signal knows there are rows and goes straight to the transaction.
     */
    private int publish(boolean look) {
        if (look && jdbc.sql("SELECT id FROM outbox ORDER BY id LIMIT 1").query(Long.class).optional().isEmpty()) {
            return 0;
        }
        Integer count = transactions.execute(status -> {
            // One statement takes the lock and the batch: the rows are deleted in this transaction, which commits
            // only once Kafka has acknowledged them all, so a failed send or a crash leaves them in the outbox.
            // The first column says whether another relay held the lock; with no rows taken there is one row of
            // nulls beside it.
            List<Row> rows = new ArrayList<>();
            boolean busy = jdbc.sql("""
                            WITH lock AS MATERIALIZED (SELECT pg_try_advisory_xact_lock(:key) AS held),
                                 taken AS (DELETE FROM outbox WHERE id IN (
                                               SELECT id FROM outbox WHERE (SELECT held FROM lock) ORDER BY id LIMIT :limit)
                                           RETURNING id, topic, message_key, event_id, event_type, traceparent, payload)
                            SELECT NOT lock.held, taken.id, taken.topic, taken.message_key, taken.event_id,
                                   taken.event_type, taken.traceparent, taken.payload
                            FROM lock LEFT JOIN taken ON true""")
                    .param("key", LOCK_KEY)
                    .param("limit", BATCH_SIZE)
                    .query((rs, n) -> {
                        if (rs.getString(2) != null) {
                            rows.add(new Row(rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                                    rs.getString(6), rs.getString(7), rs.getBytes(8)));
                        }
                        return rs.getBoolean(1);
                    })
                    .list().getFirst();
            if (busy) {
                return BUSY;
            }
            if (rows.isEmpty()) {
                return 0;
            }
            // RETURNING gives no order: insertion order is the ids'.
            rows.sort(Comparator.comparingLong(Row::id));
            List<CompletableFuture<?>> sends = new ArrayList<>(rows.size());
            List<Span> published = new ArrayList<>();
            for (Row row : rows) {
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(row.topic(), row.key(), row.payload());
                record.headers().add(new RecordHeader("event_id", row.eventId().getBytes(StandardCharsets.UTF_8)));
                record.headers().add(new RecordHeader("event_type", row.type().getBytes(StandardCharsets.UTF_8)));
                if (unrecorded != null && TraceContexts.unrecorded(row.traceparent())) {
                    sends.add(unrecorded.send(record, row.traceparent()));
                    continue;
                }
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
                // The delete rolls back: the whole batch is retried, and consumers drop what they already saw.
                throw new IllegalStateException("outbox " + name + ": Kafka did not acknowledge the batch", e);
            }
            published.forEach(Span::end);
            return rows.size();
        });
        int n = count == null ? 0 : count;
        if (n > 0) {
            published.increment(n);
            batches.increment();
        }
        return n;
    }

    private void loop() {
        boolean look = true;
        while (worker.isRunning()) {
            int n;
            try {
                n = publish(look);
                look = false;
                if (n >= BATCH_SIZE) {
                    continue;
                }
                if (n > 0 && pacing.linger().isPositive() && !pause(pacing.linger())) {
                    return;
                }
            } catch (RuntimeException e) {
                log.warn("outbox {} relay failed, retrying: {}", name, e.getMessage());
                if (!pause(FAILURE_WAIT)) {
                    return;
                }
                continue;
            }
            try {
                // Rows committed while this batch went out raised the signal again, so the wait ends at once. Only a
                // poll that no signal ended looks before it opens a transaction.
                look = !signal.await(n == BUSY ? BUSY_WAIT : pacing.poll()) && n != BUSY;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Sleeps without heeding the signal (writers go on raising it while Kafka is away); false when interrupted. */
    private static boolean pause(Duration wait) {
        try {
            Thread.sleep(wait);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
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
