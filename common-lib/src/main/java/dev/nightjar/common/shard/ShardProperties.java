package dev.nightjar.common.shard;

import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
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
        Map<String, String> placeholders) {

    public ShardProperties {
        urls = urls == null ? List.of() : List.copyOf(urls);
        placeholders = placeholders == null ? Map.of() : Map.copyOf(placeholders);
    }
}
