package dev.nightjar.common.shard;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Keeps monthly partitions ready ahead of time on every shard, through the schema's
 * {@code ensure_monthly_partitions} function (SECURITY DEFINER: the runtime role creates no tables itself).
 */
public final class PartitionMaintenance {

    private static final Logger log = LoggerFactory.getLogger(PartitionMaintenance.class);

    private final List<JdbcClient> databases;
    private final List<String> tables;
    private final int monthsAhead;

    public PartitionMaintenance(List<JdbcClient> databases, List<String> tables, int monthsAhead) {
        this.databases = List.copyOf(databases);
        this.tables = List.copyOf(tables);
        this.monthsAhead = monthsAhead;
    }

    /** Every six hours, so partitions are always months ahead. Needs {@code @EnableScheduling}. */
    @Scheduled(fixedDelay = 6 * 60 * 60 * 1000L, initialDelay = 6 * 60 * 60 * 1000L)
    public void scheduledRun() {
        run();
    }

    /** Creates whatever partitions are missing; returns how many. Safe to run from several replicas. */
    public int run() {
        int created = 0;
        for (JdbcClient jdbc : databases) {
            for (String table : tables) {
                try {
                    Integer n = jdbc.sql("SELECT ensure_monthly_partitions(:table, :ahead)")
                            .param("table", table).param("ahead", monthsAhead)
                            .query(Integer.class).single();
                    created += n == null ? 0 : n;
                } catch (RuntimeException e) {
                    // A replica creating the same partition at the same moment; the next run catches up.
                    log.warn("partition maintenance for {} failed: {}", table, e.getMessage());
                }
            }
        }
        if (created > 0) {
            log.info("created {} monthly partitions", created);
        }
        return created;
    }
}
