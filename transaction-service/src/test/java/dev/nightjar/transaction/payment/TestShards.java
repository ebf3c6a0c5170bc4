package dev.nightjar.transaction.payment;

import dev.nightjar.common.observability.TraceContexts;
import dev.nightjar.common.shard.PartitionMaintenance;
import dev.nightjar.common.shard.Shard;
import dev.nightjar.common.shard.ShardProperties;
import dev.nightjar.common.shard.Shards;
import dev.nightjar.testsupport.TestPostgres;
import dev.nightjar.transaction.domain.InquirySchedule;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** One real transaction shard for repository tests: migrated, with this month's partitions. */
final class TestShards {

    private TestShards() {
    }

    static Shards open(String database) {
        return open(database, 2);
    }

    /** A repository over {@code shards}, with inquiries every two seconds at first and no tracing. */
    static PaymentRepository repository(Shards shards) {
        return new PaymentRepository(shards, new PaymentEvents(new TraceContexts(null)),
                new InquirySchedule(Duration.ofSeconds(2), Duration.ofMinutes(5), 10),
                new PaymentOutcomes(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)));
    }

    /** The same with {@code connections} in the shard's pool. */
    static Shards open(String database, int connections) {
        TestPostgres.TestDatabase db = TestPostgres.database(database, "transaction");
        Shards shards = Shards.open(new ShardProperties(List.of(db.url()), db.appRole(), db.password(), db.ownerRole(),
                db.password(), connections, Duration.ofSeconds(3), List.of("classpath:db/migration"), Map.of()), database);
        new PartitionMaintenance(shards.all().stream().map(Shard::jdbc).toList(), List.of("payments", "refunds"), 1).run();
        return shards;
    }
}
