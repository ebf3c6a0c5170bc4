package dev.nightjar.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.common.shard.ShardProperties;
import dev.nightjar.common.shard.Shards;
import dev.nightjar.testsupport.Await;
import dev.nightjar.testsupport.TestPostgres;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shard pools, which are no Spring beans, report hikaricp_connections_* like Boot's own pool. */
class ShardPoolMetricsTest {

    @Test
    void eachShardPoolReportsItsSizeAndTheConnectionsInUse() throws Exception {
        TestPostgres.TestDatabase database = TestPostgres.database("transaction_pool_metrics", "transaction");
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (Shards shards = Shards.open(new ShardProperties(List.of(database.url()), database.appRole(),
                database.password(), database.ownerRole(), database.password(), 3, Duration.ofSeconds(3),
                List.of("classpath:db/migration"), Map.of()), "pooltest", meters)) {
            assertThat(meters.scrape()).contains("hikaricp_connections_max{pool=\"pooltest-shard-0\"} 3.0");

            try (Connection held = shards.get(0).dataSource().getConnection()) {
                assertThat(held.isValid(1)).isTrue();
                Await.until("the connection to show as active", Duration.ofSeconds(5),
                        () -> meters.scrape().contains("hikaricp_connections_active{pool=\"pooltest-shard-0\"} 1.0"));
            }
            Await.until("the connection to be back in the pool", Duration.ofSeconds(5),
                    () -> meters.scrape().contains("hikaricp_connections_active{pool=\"pooltest-shard-0\"} 0.0"));
        }
    }
}
