package dev.nightjar.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.common.kafka.NightjarKafkaConfiguration;
import dev.nightjar.common.observability.EventSpans;
import dev.nightjar.common.observability.UnrecordedKafkaSends;
import dev.nightjar.common.outbox.OutboxRelay;
import dev.nightjar.common.outbox.OutboxSignal;
import dev.nightjar.testsupport.Await;
import dev.nightjar.testsupport.TestKafka;
import dev.nightjar.testsupport.TestPostgres;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The outbox relay publishes when a writer of its database signals a commit, and otherwise only at its poll
 * interval; after a batch it lets signalled rows gather for its linger; it publishes a batch in insertion order, leaves it in the outbox when Kafka does not take it, and
 * takes nothing while another relay holds the outbox. On a real database and a real broker, a published row is
 * one the relay deleted after Kafka took it.
 */
class OutboxRelayTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Duration NEVER = Duration.ofHours(1);
    private static final String ORDER_TOPIC = "outbox_relay_order_test";
    private static final String TRACE_TOPIC = "outbox_relay_trace_test";
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    private static DataSource app;
    private static JdbcClient jdbc;
    private static KafkaTemplate<String, byte[]> kafka;
    private static int rows;

    @BeforeAll
    static void database() {
        TestPostgres.TestDatabase database = TestPostgres.migrated("auth_outbox_wake", "auth");
        app = database.app();
        jdbc = JdbcClient.create(app);
        kafka = new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(
                Map.of("bootstrap.servers", TestKafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer()));
    }

    @AfterAll
    static void close() {
        kafka.destroy();
    }

    @BeforeEach
    void emptyOutbox() {
        jdbc.sql("DELETE FROM outbox").update();
    }

    @Test
    void aSignalledCommitLeavesAtOnceThoughTheRelayPollsOnlyHourly() {
        OutboxSignal signal = new OutboxSignal();
        OutboxRelay relay = relay(signal, NEVER);
        relay.start();
        try {
            // Each row is signalled as a writer does: with an hour between polls, only the signal can publish it.
            for (int i = 0; i < 3; i++) {
                String event = insertRow();
                signal.written();
                Await.until("event " + event + " published", DEADLINE, () -> !inOutbox(event));
            }
        } finally {
            relay.stop();
        }
    }

    @Test
    void rowsSignalledWhileTheRelayLingersLeaveTogetherInOneBatchAfterIt() {
        Duration linger = Duration.ofSeconds(2);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        OutboxSignal signal = new OutboxSignal();
        OutboxRelay relay = new OutboxRelay("auth-linger", app, kafka, meters, EventSpans.none(), signal,
                new OutboxRelay.Pacing(NEVER, linger));
        relay.start();
        try {
            String first = insertRow();
            signal.written();
            Await.until("the first event, after a quiet spell, published at once", DEADLINE, () -> !inOutbox(first));
            long firstGone = System.nanoTime();
            // Three commits, each signalled as a writer does, while the relay lingers after the first batch.
            List<String> later = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                later.add(insertRow());
                signal.written();
            }
            Await.until("the three later events published", DEADLINE, () -> later.stream().noneMatch(OutboxRelayTest::inOutbox));
            Duration waited = Duration.ofNanos(System.nanoTime() - firstGone);
            assertThat(waited).as("the later events waited for the linger to pass").isGreaterThan(linger.dividedBy(2));
            assertThat(meters.get("nightjar.outbox.batches").counter().count())
                    .as("one batch for the first event and one for the three signalled during the linger").isEqualTo(2.0);
            assertThat(meters.get("nightjar.outbox.published").counter().count()).isEqualTo(4.0);
        } finally {
            relay.stop();
        }
    }

    @Test
    void aPacingWithoutAPositivePollOrWithANegativeLingerIsRefused() {
        assertThatThrownBy(() -> new OutboxRelay.Pacing(Duration.ZERO, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive poll");
        assertThatThrownBy(() -> new OutboxRelay.Pacing(NEVER, Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("linger of zero or more");
    }

    @Test
    void aRowNoSignalAnnouncedLeavesAtTheNextPoll() {
        OutboxRelay relay = relay(new OutboxSignal(), Duration.ofMillis(200));
        relay.start();
        try {
            String event = insertRow();
            Await.until("event " + event + " published by the poll", DEADLINE, () -> !inOutbox(event));
        } finally {
            relay.stop();
        }
    }

    @Test
    void insideATransactionTheSignalIsRaisedAtCommitAndNotForARollback() {
        TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(app));
        OutboxSignal committed = new OutboxSignal();
        transactions.executeWithoutResult(status -> {
            insertRow();
            committed.written();
            assertThat(committed.isRaised()).as("raised before the rows are visible to the relay").isFalse();
        });
        assertThat(committed.isRaised()).as("raised once the transaction committed").isTrue();

        OutboxSignal rolledBack = new OutboxSignal();
        transactions.executeWithoutResult(status -> {
            insertRow();
            rolledBack.written();
            status.setRollbackOnly();
        });
        assertThat(rolledBack.isRaised()).as("raised for rows that were rolled back").isFalse();
    }

    @Test
    void aBatchLeavesInTheOrderItsRowsWereWritten() {
        TestKafka.createTopics(ORDER_TOPIC);
        List<String> written = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            written.add(insertRow(ORDER_TOPIC));
        }
        OutboxRelay relay = relay(new OutboxSignal(), NEVER);
        assertThat(relay.publishBatch()).isEqualTo(7);
        assertThat(jdbc.sql("SELECT count(*) FROM outbox").query(Long.class).single()).isZero();

        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", TestKafka.bootstrapServers(), "group.id", "outbox-order-" + rows,
                "auto.offset.reset", "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(ORDER_TOPIC));
            List<String> received = new ArrayList<>();
            Await.until("the batch consumed", DEADLINE, () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> received.add(
                        new String(record.headers().lastHeader("event_id").value(), StandardCharsets.UTF_8)));
                return received.size() >= written.size();
            });
            // One key, so one partition: the order the consumer sees is the order the relay sent.
            assertThat(received).containsExactlyElementsOf(written);
        }
    }

    @Test
    void anEventOfATraceNobodyRecordsLeavesWithItsTraceparentCountedInTheTemplatesTimerWithoutAnObservation() {
        TestKafka.createTopics(TRACE_TOPIC);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        List<String> observed = new ArrayList<>();
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig()
                .observationHandler(new DefaultMeterObservationHandler(meters))
                .observationHandler(new ObservationHandler<>() {
                    @Override
                    public void onStart(Observation.Context context) {
                        observed.add(context.getName());
                    }

                    @Override
                    public boolean supportsContext(Observation.Context context) {
                        return true;
                    }
                });
        KafkaTemplate<String, byte[]> template = new KafkaTemplate<>(kafka.getProducerFactory());
        template.setBeanName(NightjarKafkaConfiguration.EVENT_TEMPLATE);
        template.setObservationEnabled(true);
        template.setObservationRegistry(observations);
        OutboxRelay relay = new OutboxRelay("auth-traces", app, template, meters, EventSpans.none(), new OutboxSignal(),
                new OutboxRelay.Pacing(NEVER, Duration.ZERO),
                new UnrecordedKafkaSends<>(kafka.getProducerFactory(), NightjarKafkaConfiguration.EVENT_TEMPLATE, meters));

        String untraced = insertRow(TRACE_TOPIC, null);
        assertThat(relay.publishBatch()).isEqualTo(1);
        assertThat(observed).as("an event with no trace: the template's observation, as before")
                .containsExactly("spring.kafka.template");
        Await.until("the observed send counted", DEADLINE, () -> sends(meters) == 1);
        Meter.Id springs = meters.get("spring.kafka.template").timer().getId();

        String unrecordedTrace = "00-" + TRACE_ID + "-00f067aa0ba902b7-00";
        String unrecorded = insertRow(TRACE_TOPIC, unrecordedTrace);
        assertThat(relay.publishBatch()).isEqualTo(1);
        Await.until("the unrecorded send counted", DEADLINE, () -> sends(meters) == 2);
        assertThat(observed).as("no observation for the event of an unrecorded trace").hasSize(1);
        assertThat(meters.find("spring.kafka.template").timers()).as("counted in the observed sends' timer, same tags")
                .singleElement().satisfies(timer -> assertThat(timer.getId()).isEqualTo(springs));

        String recordedTrace = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";
        String recorded = insertRow(TRACE_TOPIC, recordedTrace);
        assertThat(relay.publishBatch()).isEqualTo(1);
        assertThat(observed).as("an event of a recorded trace: the template's observation").hasSize(2);

        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                "bootstrap.servers", TestKafka.bootstrapServers(), "group.id", "outbox-traces-" + rows,
                "auto.offset.reset", "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(TRACE_TOPIC));
            Map<String, String> traceparents = new HashMap<>();
            Await.until("the three events consumed", DEADLINE, () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> traceparents.put(
                        new String(record.headers().lastHeader("event_id").value(), StandardCharsets.UTF_8),
                        EventSpans.header(record)));
                return traceparents.keySet().containsAll(List.of(untraced, unrecorded, recorded));
            });
            assertThat(traceparents.get(unrecorded)).as("the unrecorded trace passed on as written").isEqualTo(unrecordedTrace);
            assertThat(traceparents.get(recorded)).isEqualTo(recordedTrace);
            assertThat(traceparents.get(untraced)).isNull();
        }
    }

    private static long sends(SimpleMeterRegistry meters) {
        return meters.find("spring.kafka.template").timers().stream().mapToLong(Timer::count).sum();
    }

    @Test
    void aBatchKafkaDoesNotTakeStaysInTheOutbox() {
        String event = insertRow();
        KafkaTemplate<String, byte[]> unreachable = new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(Map.of(
                "bootstrap.servers", "127.0.0.1:" + closedPort(), "max.block.ms", 1_000,
                "delivery.timeout.ms", 2_000, "request.timeout.ms", 1_000), new StringSerializer(), new ByteArraySerializer()));
        try {
            OutboxRelay relay = new OutboxRelay("auth-unreachable", app, unreachable, new SimpleMeterRegistry(),
                    EventSpans.none(), new OutboxSignal(), new OutboxRelay.Pacing(NEVER, Duration.ZERO));
            assertThatThrownBy(relay::publishBatch).isInstanceOf(RuntimeException.class);
            assertThat(inOutbox(event)).as("the row the failed batch took is back in the outbox").isTrue();
        } finally {
            unreachable.destroy();
        }
        assertThat(relay(new OutboxSignal(), NEVER).publishBatch()).isEqualTo(1);
        assertThat(inOutbox(event)).isFalse();
    }

    @Test
    void whileAnotherRelayHoldsTheOutboxNothingIsTaken() throws Exception {
        String event = insertRow();
        OutboxRelay relay = relay(new OutboxSignal(), NEVER);
        try (Connection other = app.getConnection()) {
            other.setAutoCommit(false);
            try (Statement statement = other.createStatement();
                 ResultSet locked = statement.executeQuery("SELECT pg_try_advisory_xact_lock(" + OutboxRelay.LOCK_KEY + ")")) {
                assertThat(locked.next() && locked.getBoolean(1)).isTrue();
            }
            assertThat(relay.publishBatch()).isZero();
            assertThat(inOutbox(event)).isTrue();
            other.rollback();
        }
        assertThat(relay.publishBatch()).isEqualTo(1);
        assertThat(inOutbox(event)).isFalse();
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static OutboxRelay relay(OutboxSignal signal, Duration poll) {
        return new OutboxRelay("auth-wake", app, kafka, new SimpleMeterRegistry(), EventSpans.none(), signal,
                new OutboxRelay.Pacing(poll, Duration.ZERO));
    }

    private static String insertRow() {
        return insertRow("auth_responses");
    }

    private static String insertRow(String topic) {
        return insertRow(topic, null);
    }

    private static String insertRow(String topic, String traceparent) {
        String event = "evt_relay_" + (++rows);
        jdbc.sql("""
                        INSERT INTO outbox (topic, message_key, event_id, event_type, traceparent, payload)
                        VALUES (:topic, 'mer_1', :id, 'test.event', :traceparent, '\\x7b7d')""")
                .param("topic", topic).param("id", event).param("traceparent", traceparent, java.sql.Types.VARCHAR).update();
        return event;
    }

    private static boolean inOutbox(String event) {
        return jdbc.sql("SELECT count(*) FROM outbox WHERE event_id = :id").param("id", event).query(Long.class).single() > 0;
    }
}
