package dev.nightjar.common.shard;

import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The shard databases of a sharded service. Each URL may be a multi-host Patroni URL
 * ({@code jdbc:postgresql://a,b,c/db?targetServerType=primary}).
 *
 * @param urls           one JDBC URL per shard, in shard order; their count is N
 * @param username       the service's runtime role (data privileges only)
 * @param ownerUsername  the role that owns the schema and runs migrations
 * @param poolSize       connections per shard
 * @param connectionTimeout how long a request waits for a pooled connection before it fails (a 503):
 *                       long enough for a busy shard; one that cannot be reached is refused at once (FailFastDataSource)
 * @param connectionProperties the PostgreSQL driver's properties for every connection of every shard's pool
 *                       (transaction-service sets {@code options} to plan its statements once: see its application.yml)
 */
@ConfigurationProperties("nightjar.shards")
public record ShardProperties(
        List<String> urls,
        String username,
        String password,
        String ownerUsername,
        String ownerPassword,
        @DefaultValue("12") int poolSize,
        @DefaultValue("3s") java.time.Duration connectionTimeout,
        @DefaultValue("classpath:db/migration") List<String> migrationLocations,
        Map<String, String> placeholders,
        Map<String, String> connectionProperties) {

    @ConstructorBinding
    public ShardProperties {
        urls = urls == null ? List.of() : List.copyOf(urls);
        placeholders = placeholders == null ? Map.of() : Map.copyOf(placeholders);
        connectionProperties = connectionProperties == null ? Map.of() : Map.copyOf(connectionProperties);
    }

    /** The same with the driver's defaults for every connection. */
    public ShardProperties(List<String> urls, String username, String password, String ownerUsername,
                           String ownerPassword, int poolSize, java.time.Duration connectionTimeout,
                           List<String> migrationLocations, Map<String, String> placeholders) {
        this(urls, username, password, ownerUsername, ownerPassword, poolSize, connectionTimeout, migrationLocations,
                placeholders, Map.of());
    }
}
