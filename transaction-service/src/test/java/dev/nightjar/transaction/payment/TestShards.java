package dev.nightjar.transaction.payment;

import dev.nightjar.common.shard.PartitionMaintenance;
import dev.nightjar.common.shard.Shard;
import dev.nightjar.common.shard.ShardProperties;
import dev.nightjar.common.shard.Shards;
import dev.nightjar.testsupport.TestPostgres;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** One real transaction shard for repository tests: migrated, with this month's partitions. */
final class TestShards {

    private TestShards() {
    }

    static Shards open(String database) {
        TestPostgres.TestDatabase db = TestPostgres.database(database, "transaction");
        Shards shards = Shards.open(new ShardProperties(List.of(db.url()), db.appRole(), db.password(), db.ownerRole(),
                db.password(), 2, Duration.ofSeconds(3), List.of("classpath:db/migration"), Map.of()), database);
        new PartitionMaintenance(shards.all().stream().map(Shard::jdbc).toList(), List.of("payments", "refunds"), 1).run();
        return shards;
    }
}
