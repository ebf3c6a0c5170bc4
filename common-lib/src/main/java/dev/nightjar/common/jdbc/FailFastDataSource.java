package dev.nightjar.common.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.nightjar.common.http.Deadline;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * A connection pool that stops making callers wait once its database is known to be unreachable. A pool
 * gives up on a caller after its connection timeout; when it gives up because connections could not even be
 * opened (the timeout carries the connection failure as its cause), the database is away: for the next
 * {@code failFastFor} every caller is refused at once, and then one caller at a time probes while the others
 * go on being refused, until a connection is had again. A pool that is merely busy (no cause) changes
 * nothing: busy is not away. Refusals are {@link SQLTransientConnectionException}s, which the services answer
 * with a 503 and {@code Retry-After}.
 *
 * <p>A request with a deadline ({@link Deadline}) waits for the database no longer than the time it has left
 * and {@link #GRACE}: for a connection from a busy pool (a HikariCP pool), and then for each answer on it. A
 * server that stops answering (a stalled disk, a frozen process, a dead link that still looks open) breaks
 * the statement off instead of holding the request until it returns. The pool restores the connection's own
 * timeout (none) when it is handed back. Without a deadline (consumers, schedulers, migrations) nothing changes.
 */
public final class FailFastDataSource extends DelegatingDataSource {

    /**
     * Added to a request's time left for its statements: a deadline is the answer's budget, not a statement's,
     * and a query that ends a moment past it still answers the client in time; only a hang is cut.
     */
    static final Duration GRACE = Duration.ofSeconds(1);

    private final long failFastNanos;
    private final LongSupplier nanoClock;
    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile long awayUntilNanos;
    private volatile boolean away;
    private volatile String lastFailure = "";

    public FailFastDataSource(DataSource pool, Duration failFastFor, LongSupplier nanoClock) {
        super(pool);
        this.failFastNanos = failFastFor.toNanos();
        this.nanoClock = nanoClock;
    }

    public FailFastDataSource(DataSource pool, Duration failFastFor) {
        this(pool, failFastFor, System::nanoTime);
    }

    @Override
    public Connection getConnection() throws SQLException {
        return connect(() -> {
            DataSource target = obtainTargetDataSource();
            OptionalLong wait = waitMillis();
            if (wait.isPresent() && target instanceof HikariDataSource hikari
                    && hikari.getHikariPoolMXBean() instanceof HikariPool pool) {
                // a busy pool keeps a request with a deadline waiting no longer than its statements may take
                return pool.getConnection(Math.min(hikari.getConnectionTimeout(), wait.getAsLong()));
            }
            return target.getConnection();
        });
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return connect(() -> obtainTargetDataSource().getConnection(username, password));
    }

    /** True while the database counts as unreachable. */
    public boolean isAway() {
        return away;
    }

    /** How long the current request may wait for the database: its time left and the grace; empty without a deadline. */
    private static OptionalLong waitMillis() {
        return Deadline.left().map(left -> OptionalLong.of(Math.max(0, left.toMillis()) + GRACE.toMillis()))
                .orElse(OptionalLong.empty());
    }

    private static Connection boundedByDeadline(Connection connection) throws SQLException {
        OptionalLong wait = waitMillis();
        if (wait.isPresent() && connection != null) {
            try {
                connection.setNetworkTimeout(Runnable::run, (int) Math.min(Integer.MAX_VALUE, wait.getAsLong()));
            } catch (SQLException | RuntimeException e) {
                connection.close();
                throw e;
            }
        }
        return connection;
    }

    private interface Connect {
        Connection get() throws SQLException;
    }

    private Connection connect(Connect connect) throws SQLException {
        boolean probe = false;
        if (away) {
            if (nanoClock.getAsLong() - awayUntilNanos < 0 || !probing.compareAndSet(false, true)) {
                throw new SQLTransientConnectionException("the database is unreachable (" + lastFailure
                        + "); refused without waiting", "08001");
            }
            probe = true;
        }
        try {
            Connection connection = connect.get();
            away = false;
            return boundedByDeadline(connection);
        } catch (SQLTransientConnectionException e) {
            if (e.getCause() != null) {
                lastFailure = e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage();
                awayUntilNanos = nanoClock.getAsLong() + failFastNanos;
                away = true;
            }
            throw e;
        } finally {
            if (probe) {
                probing.set(false);
            }
        }
    }
}
