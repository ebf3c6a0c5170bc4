package dev.nightjar.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.common.outbox.OutboxGauges;
import dev.nightjar.common.outbox.OutboxRelay;
import dev.nightjar.testsupport.TestKafka;
import dev.nightjar.testsupport.TestPostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * An outbox's backlog and relay lag on a real database, emptied by the real relay into a real broker: what the
 * gauges show is what the relay has not published yet.
 */
class OutboxGaugesTest {

    @Test
    void backlogAndOldestAgeCountWhatTheRelayHasNotPublishedAndFallToZeroOnceItHas() {
        TestPostgres.TestDatabase database = TestPostgres.migrated("auth_outbox_gauges", "auth");
        DataSource app = database.app();
        JdbcClient jdbc = JdbcClient.create(app);
        jdbc.sql("DELETE FROM outbox").update();
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        OutboxGauges gauges = new OutboxGauges("auth", app, meters);

        gauges.refresh();
        assertThat(meters.scrape()).contains("nightjar_outbox_backlog{outbox=\"auth\"} 0.0",
                "nightjar_outbox_oldest_seconds{outbox=\"auth\"} 0.0");

        for (int i = 0; i < 3; i++) {
            jdbc.sql("""
                            INSERT INTO outbox (topic, message_key, event_id, event_type, payload, created_at)
                            VALUES ('auth_responses', 'mer_1', :id, 'test.event', '\\x7b7d', now() - interval '90 seconds')""")
                    .param("id", "evt_gauges_" + i).update();
        }
        gauges.refresh();
        assertThat(meters.scrape()).contains("nightjar_outbox_backlog{outbox=\"auth\"} 3.0");
        assertThat(meters.get("nightjar.outbox.oldest_seconds").tag("outbox", "auth").gauge().value())
                .as("the oldest row was written 90 s ago").isBetween(90.0, 150.0);

        KafkaTemplate<String, byte[]> kafka = new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(
                Map.of("bootstrap.servers", TestKafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer()));
        OutboxRelay relay = new OutboxRelay("auth-relay", app, kafka, new SimpleMeterRegistry());
        assertThat(relay.publishBatch()).isEqualTo(3);
        gauges.refresh();
        assertThat(meters.scrape()).contains("nightjar_outbox_backlog{outbox=\"auth\"} 0.0",
                "nightjar_outbox_oldest_seconds{outbox=\"auth\"} 0.0");
        kafka.destroy();
    }
}
