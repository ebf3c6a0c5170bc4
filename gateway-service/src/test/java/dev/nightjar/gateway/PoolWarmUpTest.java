package dev.nightjar.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.nightjar.common.jdbc.PoolWarmUp;
import dev.nightjar.testsupport.TestPostgres;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The database warm-up at start, on a real PostgreSQL server: the pool holds its connections before any caller. */
class PoolWarmUpTest {

    @Test
    void thePoolHoldsTheWarmedConnectionsIdleOnceTheWarmUpIsDone() {
        try (HikariDataSource pool = pool(10)) {
            assertThat(pool.getHikariPoolMXBean().getTotalConnections()).as("a pool opens its minimum at first").isLessThanOrEqualTo(1);

            PoolWarmUp warmUp = new PoolWarmUp(() -> List.of(pool), 6);
            warmUp.start();

            assertThat(pool.getHikariPoolMXBean().getTotalConnections()).isGreaterThanOrEqualTo(6);
            assertThat(pool.getHikariPoolMXBean().getActiveConnections()).as("every connection given back").isZero();
            assertThat(warmUp.isRunning()).isTrue();
        }
    }

    @Test
    void aPoolSmallerThanTheWarmUpIsFilledToItsMaximumAndNoFurther() {
        try (HikariDataSource pool = pool(3)) {
            assertThat(new PoolWarmUp(() -> List.of(pool), 8).fill(pool)).isEqualTo(3);
            assertThat(pool.getHikariPoolMXBean().getTotalConnections()).isEqualTo(3);
        }
    }

    private static HikariDataSource pool(int maximum) {
        TestPostgres.TestDatabase database = TestPostgres.database("pool_warm_up", "pool_warm_up");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(database.url());
        config.setUsername(database.appRole());
        config.setPassword(database.password());
        config.setMaximumPoolSize(maximum);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(3000);
        return new HikariDataSource(config);
    }
}
