package dev.nightjar.ledger.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.common.shard.ShardProperties;
import dev.nightjar.common.shard.Shards;
import dev.nightjar.testsupport.TestPostgres;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** nightjar_ledger_integrity_ok, _last_run_timestamp_seconds and _last_full_run_timestamp_seconds from real checks of a real shard. */
class IntegrityGaugesTest {

    @Test
    void theGaugesSayWhatTheLastCheckFoundAndWhenItRan() {
        TestPostgres.TestDatabase database = TestPostgres.database("ledger_integrity_gauges", "ledger");
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (Shards shards = Shards.open(new ShardProperties(List.of(database.url()), database.appRole(),
                database.password(), database.ownerRole(), database.password(), 2, Duration.ofSeconds(3),
                List.of("classpath:db/migration"), Map.of()), "integrity-test")) {
            Clock clock = Clock.fixed(Instant.ofEpochSecond(1_790_000_000L), ZoneOffset.UTC);
            IntegrityCheck check = new IntegrityCheck(shards, new IntegrityGauges(meters, clock), clock, Duration.ofDays(1), 1.0);
            assertThat(meters.get("nightjar.ledger.integrity.ok").gauge().value()).as("no check yet").isNaN();
            assertThat(meters.get("nightjar.ledger.integrity.last_full_run_timestamp_seconds").gauge().value()).isNaN();

            assertThat(check.run().ok()).isTrue();
            assertThat(meters.scrape()).contains("nightjar_ledger_integrity_ok 1.0",
                    "nightjar_ledger_integrity_last_run_timestamp_seconds ");
            assertThat(meters.get("nightjar.ledger.integrity.last_run_timestamp_seconds").gauge().value())
                    .isEqualTo(1_790_000_000.0);
            assertThat(meters.get("nightjar.ledger.integrity.last_full_run_timestamp_seconds").gauge().value())
                    .as("the operator's check walks every entry").isEqualTo(1_790_000_000.0);

            // a balance no posting explains, written behind the service's back with the owner's rights
            JdbcClient.create(database.owner())
                    .sql("INSERT INTO accounts (code, kind, owner, currency, balance_minor) VALUES"
                            + " ('cash:nightjar:EUR', 'cash', 'nightjar', 'EUR', 5) ON CONFLICT (code) DO UPDATE SET balance_minor = 5")
                    .update();
            assertThat(check.run().ok()).isFalse();
            assertThat(meters.scrape()).contains("nightjar_ledger_integrity_ok 0.0");
        }
    }
}
