package dev.nightjar.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.common.observability.EventSpans;
import dev.nightjar.common.outbox.OutboxRelay;
import dev.nightjar.common.outbox.OutboxSignal;
import dev.nightjar.testsupport.Await;
import dev.nightjar.testsupport.TestKafka;
import dev.nightjar.testsupport.TestPostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The outbox relay publishes when a writer of its database signals a commit, and otherwise only at its poll
 * interval: on a real database and a real broker, a published row is one the relay deleted after Kafka took it.
 */
class OutboxRelayWakeTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Duration NEVER = Duration.ofHours(1);

    private static DataSource app;
    private static JdbcClient jdbc;
    private static KafkaTemplate<String, byte[]> kafka;
    private static int rows;

    @BeforeAll
    static void database() {
        TestPostgres.TestDatabase database = TestPostgres.database("auth_outbox_wake", "auth");
        Flyway.configure().dataSource(database.url(), database.ownerRole(), database.password())
                .placeholders(Map.of("app_role", database.appRole())).load().migrate();
        app = new DriverManagerDataSource(database.url(), database.appRole(), database.password());
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

    private static OutboxRelay relay(OutboxSignal signal, Duration poll) {
        return new OutboxRelay("auth-wake", app, kafka, new SimpleMeterRegistry(), EventSpans.none(), signal, poll);
    }

    private static String insertRow() {
        String event = "evt_wake_" + (++rows);
        jdbc.sql("""
                        INSERT INTO outbox (topic, message_key, event_id, event_type, payload)
                        VALUES ('auth_responses', 'mer_1', :id, 'test.event', '\\x7b7d')""")
                .param("id", event).update();
        return event;
    }

    private static boolean inOutbox(String event) {
        return jdbc.sql("SELECT count(*) FROM outbox WHERE event_id = :id").param("id", event).query(Long.class).single() > 0;
    }
}
