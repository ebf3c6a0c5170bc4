package dev.nightjar.common.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.net.ConnectException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class FailFastDataSourceTest {

    /** A pool that times its callers out, with or without a connection failure as the cause, or hands out null. */
    private static final class Pool implements DataSource {
        final AtomicInteger asked = new AtomicInteger();
        volatile SQLException failure;

        @Override
        public Connection getConnection() throws SQLException {
            asked.incrementAndGet();
            if (failure != null) {
                throw failure;
            }
            return null;
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> iface) {
            return null;
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }

    private final Pool pool = new Pool();
    private final AtomicLong nanos = new AtomicLong();
    private final FailFastDataSource dataSource = new FailFastDataSource(pool, Duration.ofSeconds(1), nanos::get);

    private static SQLTransientConnectionException unreachable() {
        return new SQLTransientConnectionException("request timed out after 3000ms", "08001",
                new ConnectException("Connection refused"));
    }

    @Test
    void onceConnectionsCannotBeOpenedCallersAreRefusedWithoutReachingThePool() {
        pool.failure = unreachable();
        assertThatThrownBy(dataSource::getConnection).isInstanceOf(SQLTransientConnectionException.class);
        assertThat(dataSource.isAway()).isTrue();
        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(dataSource::getConnection).isInstanceOf(SQLTransientConnectionException.class)
                    .hasMessageContaining("refused without waiting").hasMessageContaining("Connection refused");
        }
        assertThat(pool.asked).as("only the first caller waited for the pool").hasValue(1);
    }

    @Test
    void afterThePauseOneCallerProbesAndASuccessLetsEveryoneThroughAgain() throws SQLException {
        pool.failure = unreachable();
        assertThatThrownBy(dataSource::getConnection).isInstanceOf(SQLTransientConnectionException.class);
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        pool.failure = null;
        dataSource.getConnection();
        assertThat(dataSource.isAway()).isFalse();
        dataSource.getConnection();
        assertThat(pool.asked).hasValue(3);
    }

    @Test
    void aProbeThatFailsKeepsEveryoneElseRefused() {
        pool.failure = unreachable();
        assertThatThrownBy(dataSource::getConnection).isInstanceOf(SQLTransientConnectionException.class);
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThatThrownBy(dataSource::getConnection).as("the probe").isInstanceOf(SQLTransientConnectionException.class);
        assertThatThrownBy(dataSource::getConnection).hasMessageContaining("refused without waiting");
        assertThat(pool.asked).hasValue(2);
    }

    @Test
    void aPoolThatIsMerelyBusyIsNotAway() {
        pool.failure = new SQLTransientConnectionException("request timed out after 3000ms (total=16, active=16)");
        assertThatThrownBy(dataSource::getConnection).isInstanceOf(SQLTransientConnectionException.class);
        assertThatThrownBy(dataSource::getConnection).isInstanceOf(SQLTransientConnectionException.class);
        assertThat(dataSource.isAway()).isFalse();
        assertThat(pool.asked).as("every caller waited its turn at the pool").hasValue(2);
    }
}
