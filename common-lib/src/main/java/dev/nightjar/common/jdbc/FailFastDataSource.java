package dev.nightjar.common.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
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
 */
public final class FailFastDataSource extends DelegatingDataSource {

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
        return connect(() -> obtainTargetDataSource().getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return connect(() -> obtainTargetDataSource().getConnection(username, password));
    }

    /** True while the database counts as unreachable. */
    public boolean isAway() {
        return away;
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
            return connection;
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
