package dev.nightjar.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.common.shard.ShardProperties;
import dev.nightjar.common.shard.Shards;
import dev.nightjar.testsupport.TestPostgres;
import dev.nightjar.testsupport.TestPostgres.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Replicas of transaction-service starting at the same moment (a rollout, an autoscaler) all migrate the same
 * shards: each shard's schema is migrated once, every replica starts, none fails on another's migration.
 */
class ConcurrentMigrationIT {

    private static final int REPLICAS = 3;

    @Test
    void replicasStartingTogetherMigrateEachShardOnceAndAllStart() throws Exception {
        List<TestDatabase> databases = List.of(TestPostgres.database("migration_race_0", "transaction"),
                TestPostgres.database("migration_race_1", "transaction"));
        ShardProperties properties = new ShardProperties(databases.stream().map(TestDatabase::url).toList(),
                databases.get(0).appRole(), "test", databases.get(0).ownerRole(), "test", 2, Duration.ofSeconds(3),
                List.of("classpath:db/migration"), Map.of());
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Shards>> replicas = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(REPLICAS)) {
            for (int i = 0; i < REPLICAS; i++) {
                String name = "replica-" + i;
                replicas.add(threads.submit(() -> {
                    start.await();
                    return Shards.open(properties, name);
                }));
            }
            start.countDown();
            for (Future<Shards> replica : replicas) {
                Shards shards = replica.get(5, TimeUnit.MINUTES);
                assertThat(shards.all()).hasSize(2);
                shards.close();
            }
        }
        for (TestDatabase database : databases) {
            try (Connection connection = DriverManager.getConnection(database.url(), database.ownerRole(), "test");
                 Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("""
                         SELECT count(*) AS applied, count(DISTINCT version) AS versions, bool_and(success) AS ok
                         FROM flyway_schema_history WHERE version IS NOT NULL""")) {
                rows.next();
                assertThat(rows.getInt("applied")).as(database.name()).isPositive()
                        .isEqualTo(rows.getInt("versions"));
                assertThat(rows.getBoolean("ok")).as(database.name()).isTrue();
            }
        }
    }
}
