package dev.nightjar.gateway.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.nightjar.common.http.Deadline;
import dev.nightjar.common.jdbc.FailFastDataSource;
import dev.nightjar.testsupport.TestPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A merchant's request waits for a database that stops answering, or for a busy pool, no longer than its
 * budget (and a second's grace), on a real PostgreSQL server: a statement that does not come back (here
 * {@code pg_sleep}, as a frozen server looks to its client) is broken off, the pool replaces the connection,
 * and work without a deadline (consumers, schedulers) keeps connections that wait as long as their statements
 * take.
 */
class DeadlineBoundedStatementsIT {

    private static HikariDataSource pool;
    private static DataSource dataSource;

    @BeforeAll
    static void pool() {
        TestPostgres.TestDatabase database = TestPostgres.database("deadline_bound", "deadline_bound");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(database.url());
        config.setUsername(database.appRole());
        config.setPassword(database.password());
        // one connection, so every statement below runs on the same one unless the pool had to replace it
        config.setMaximumPoolSize(1);
        config.setMinimumIdle(1);
        pool = new HikariDataSource(config);
        dataSource = new FailFastDataSource(pool, Duration.ofSeconds(1));
    }

    @AfterAll
    static void close() {
        pool.close();
    }

    @Test
    void aStatementThatDoesNotComeBackIsBrokenOffAtTheDeadlineAndItsGrace() {
        long started = System.nanoTime();
        assertThatThrownBy(() -> Deadline.within(Duration.ofMillis(500), () -> execute("SELECT pg_sleep(30)")))
                .isInstanceOf(IllegalStateException.class)
                .cause().isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).startsWith("08"));
        Duration waited = Duration.ofNanos(System.nanoTime() - started);
        assertThat(waited).isBetween(Duration.ofMillis(1_300), Duration.ofSeconds(5));

        // the broken connection was replaced: the next statement runs
        assertThat(execute("SELECT 1")).isTrue();
    }

    @Test
    void underADeadlineTheConnectionReadsUntimedAndTheWatchdogKeepsItsTime() {
        int networkTimeoutMillis = Deadline.within(Duration.ofMillis(500), () -> {
            try (Connection connection = dataSource.getConnection()) {
                return connection.getNetworkTimeout();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(networkTimeoutMillis).as("no socket timeout: each timed read would wake the JDK's timer").isZero();
    }

    @Test
    void aConnectionGoesBackToThePoolWithoutTheDeadlineOfTheRequestThatHadIt() {
        assertThat(Deadline.within(Duration.ofMillis(100), () -> execute("SELECT 1"))).isTrue();

        // the same (only) connection, now for work without a deadline: it waits longer than that request could,
        // and longer than the request's watch would have let it
        long started = System.nanoTime();
        assertThat(execute("SELECT pg_sleep(2)")).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aRequestWaitsForABusyPoolNoLongerThanItsDeadlineAndItsGrace() throws SQLException {
        try (Connection held = dataSource.getConnection()) {
            long started = System.nanoTime();
            // the pool's own timeout is 30 s; the request has half a second and the grace
            assertThatThrownBy(() -> Deadline.within(Duration.ofMillis(500), () -> execute("SELECT 1")))
                    .cause().isInstanceOf(SQLTransientConnectionException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .isBetween(Duration.ofMillis(1_300), Duration.ofSeconds(5));
            assertThat(held.isValid(1)).isTrue();
        }
        // busy is not away: the connection handed back serves the next request at once
        assertThat(Deadline.within(Duration.ofMillis(500), () -> execute("SELECT 1"))).isTrue();
    }

    private static boolean execute(String sql) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            return statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
