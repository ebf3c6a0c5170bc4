package dev.nightjar.common.shard;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/** UP when every shard database answers; names the ones that do not. */
public final class ShardsHealthIndicator extends AbstractHealthIndicator {

    private final Shards shards;

    public ShardsHealthIndicator(Shards shards) {
        this.shards = shards;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        boolean allUp = true;
        for (Shard shard : shards.all()) {
            String state;
            try {
                shard.jdbc().sql("SELECT 1").query(Integer.class).single();
                state = "UP";
            } catch (RuntimeException e) {
                state = "DOWN: " + e.getMessage();
                allUp = false;
            }
            builder.withDetail("shard-" + shard.index(), state);
        }
        if (allUp) {
            builder.up();
        } else {
            builder.down();
        }
    }
}
