package dev.nightjar.common.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.nightjar.common.http.Deadline;
import dev.nightjar.common.lifecycle.Watchdog;
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
 * and {@link #GRACE}: for a connection from a busy pool (a HikariCP pool), and then for its work on it. A
 * server that stops answering (a stalled disk, a frozen process, a dead link that still looks open) has the
 * connection broken off at that time instead of holding the request until it returns; the pool replaces it.
 * Without a deadline (consumers, schedulers, migrations) nothing changes.
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
    private final Watchdog watchdog;
    private volatile long awayUntilNanos;
    private volatile boolean away;
    private volatile String lastFailure = "";

    public FailFastDataSource(DataSource pool, Duration failFastFor, LongSupplier nanoClock) {
        this(pool, failFastFor, nanoClock, Watchdog.shared());
    }

    FailFastDataSource(DataSource pool, Duration failFastFor, LongSupplier nanoClock, Watchdog watchdog) {
        super(pool);
        this.watchdog = watchdog;
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

    /**
     * The connection, broken off ({@link Connection#abort}) if the request still holds it when its time and the
     * grace are up. The {@link Watchdog} keeps that time, not the socket: a network timeout would make every read
     * on the connection a timed wait, which on a virtual thread costs the JDK's timer thread a wake-up each.
     */
    private Connection boundedByDeadline(Connection connection) {
        OptionalLong wait = waitMillis();
        if (wait.isEmpty() || connection == null) {
            return connection;
        }
        Watchdog.Watch watch = watchdog.arm(Duration.ofMillis(wait.getAsLong()), () -> abort(connection));
        return new WatchedConnection(connection, watch);
    }

    private static void abort(Connection connection) {
        try {
            connection.abort(Runnable::run);
        } catch (SQLException e) {
            throw new IllegalStateException("could not break off a connection held past its time", e);
        }
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
