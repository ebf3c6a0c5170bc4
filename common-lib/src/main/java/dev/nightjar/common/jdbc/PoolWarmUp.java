package dev.nightjar.common.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.nightjar.common.lifecycle.BeforeFirstRequest;

/**
 * Opens the service's database connections before the web server takes its first request. A pool starts with
 * two connections and opens the others one at a time, on one thread of its own, as callers wait for them; a
 * service restarted under load meets its callers all at once, while its JIT is still cold and the two cores
 * are shared with the rest of the fleet, and each new connection (a PostgreSQL backend forked, a SCRAM
 * exchange computed in the driver) then takes a few hundred milliseconds. The callers queued behind them
 * waited out the pool's three-second connection timeout. Here the pool holds {@code connections} of them,
 * each having run one statement, before anybody waits; they stay until the pool's idle timeout.
 *
 * <p>Waits for each connection no longer than the pool's connection timeout; never fails the start (a database
 * that is away is reported by the requests that need it, with a 503), only logs what it did.
 */
public final class PoolWarmUp extends BeforeFirstRequest {

    private static final Logger log = LoggerFactory.getLogger(PoolWarmUp.class);

    private final Supplier<List<HikariDataSource>> pools;
    private final int connections;

    /**
     * @param pools       the service's pools, read when the service starts (a sharded service opens its own)
     * @param connections the connections to open in each pool, at most its maximum size
     */
    public PoolWarmUp(Supplier<List<HikariDataSource>> pools, int connections) {
        this.pools = pools;
        this.connections = connections;
    }

    @Override
    protected void prepare() {
        for (HikariDataSource pool : pools.get()) {
            long start = System.nanoTime();
            int opened = fill(pool);
            log.info("database warm-up: {} of {} connections ready in pool {} in {} ms", opened,
                    Math.min(connections, pool.getMaximumPoolSize()), pool.getPoolName(),
                    (System.nanoTime() - start) / 1_000_000);
        }
    }

    /**
     * Takes up to {@code connections} connections from the pool at once, runs a statement on each, and gives them
     * all back once every taker is done (so each is a connection of its own); returns how many were had. Each
     * taker waits at most the pool's connection timeout.
     */
    public int fill(HikariDataSource pool) {
        int wanted = Math.min(connections, pool.getMaximumPoolSize());
        List<Connection> held = Collections.synchronizedList(new ArrayList<>(wanted));
        try (ExecutorService takers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < wanted; i++) {
                takers.execute(() -> {
                    try {
                        held.add(ready(pool));
                    } catch (SQLException e) {
                        log.warn("database warm-up of pool {}: {}", pool.getPoolName(), e.getMessage());
                    }
                });
            }
        } finally {
            held.forEach(PoolWarmUp::giveBack);
        }
        return held.size();
    }

    private static Connection ready(HikariDataSource pool) throws SQLException {
        Connection connection = pool.getConnection();
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT 1");
            return connection;
        } catch (SQLException e) {
            giveBack(connection);
            throw e;
        }
    }

    private static void giveBack(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            log.debug("database warm-up: could not give a connection back", e);
        }
    }
}
