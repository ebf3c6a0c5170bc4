package dev.nightjar.common.shard;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import dev.nightjar.common.config.NightjarAutoConfiguration;
import dev.nightjar.common.jdbc.FailFastDataSource;
import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The N shard databases of a sharded service: migrates each with the owner role at start, then pools
 * connections as the runtime role, and routes a merchant to its shard.
 */
public final class Shards implements AutoCloseable {

    private final List<Shard> shards;
    private final ShardRouter router;
    private final List<HikariDataSource> pools;

    private Shards(List<Shard> shards, List<HikariDataSource> pools) {
        this.shards = List.copyOf(shards);
        this.pools = List.copyOf(pools);
        this.router = new ShardRouter(shards.size());
    }

    /** Migrates every shard (owner role), then opens a pool per shard (runtime role). */
    public static Shards open(ShardProperties properties, String poolNamePrefix) {
        return open(properties, poolNamePrefix, null);
    }

    /**
     * The same, each pool reporting to {@code meters} as Boot's own pool does ({@code hikaricp_connections_*{pool}},
     * pool {@code <prefix>-shard-<n>}): Boot instruments only the pools that are beans, and these are not.
     */
    public static Shards open(ShardProperties properties, String poolNamePrefix,
                              MeterRegistry meters) {
        if (properties.urls().isEmpty()) {
            throw new IllegalStateException("nightjar.shards.urls must list one JDBC URL per shard");
        }
        List<Shard> shards = new ArrayList<>();
        List<HikariDataSource> pools = new ArrayList<>();
        for (int i = 0; i < properties.urls().size(); i++) {
            String url = properties.urls().get(i);
            migrate(properties, url);
            HikariConfig config = new HikariConfig();
            config.setPoolName(poolNamePrefix + "-shard-" + i);
            config.setJdbcUrl(url);
            config.setUsername(properties.username());
            config.setPassword(properties.password());
            config.setMaximumPoolSize(properties.poolSize());
            config.setMinimumIdle(Math.min(2, properties.poolSize()));
            config.setConnectionTimeout(properties.connectionTimeout().toMillis());
            config.setValidationTimeout(Math.min(500, properties.connectionTimeout().toMillis() / 2));
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
            properties.connectionProperties().forEach(config::addDataSourceProperty);
            if (meters != null) {
                config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(meters));
            }
            HikariDataSource pool = new HikariDataSource(config);
            pools.add(pool);
            DataSource failFast = new FailFastDataSource(pool, NightjarAutoConfiguration.FAIL_FAST_FOR);
            shards.add(new Shard(i, failFast, JdbcClient.create(failFast),
                    new TransactionTemplate(new DataSourceTransactionManager(failFast))));
        }
        return new Shards(shards, pools);
    }

    /** Flyway retries its migration lock once a second: five minutes, as the chart sets for the other services. */
    static final int MIGRATION_LOCK_RETRIES = 300;

    private static void migrate(ShardProperties properties, String url) {
        Map<String, String> placeholders = new HashMap<>(properties.placeholders());
        placeholders.putIfAbsent("app_role", properties.username());
        String owner = properties.ownerUsername() == null ? properties.username() : properties.ownerUsername();
        String ownerPassword = properties.ownerUsername() == null ? properties.password() : properties.ownerPassword();
        Flyway.configure()
                .dataSource(url, owner, ownerPassword)
                .locations(properties.migrationLocations().toArray(String[]::new))
                .placeholders(placeholders)
                // Replicas starting together (a rollout) take Flyway's advisory lock in turn: the others wait up
                // to five minutes for a long migration, then find the schema current.
                .lockRetryCount(MIGRATION_LOCK_RETRIES)
                .load()
                .migrate();
    }

    public Shard forMerchant(String merchantId) {
        return shards.get(router.shardOf(merchantId));
    }

    public Shard get(int index) {
        return shards.get(index);
    }

    /** The shards' connection pools, for the database warm-up at start. */
    public List<HikariDataSource> pools() {
        return pools;
    }

    public List<Shard> all() {
        return shards;
    }

    public int count() {
        return shards.size();
    }

    public ShardRouter router() {
        return router;
    }

    @Override
    public void close() {
        pools.forEach(HikariDataSource::close);
    }
}
