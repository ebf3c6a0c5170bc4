package dev.nightjar.gateway.limit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.testsupport.ServiceTestEnvironment;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

class RateLimitsTest {

    /** A database nobody listens for: every connection is refused, as while PostgreSQL is away. */
    private final JdbcClient unreachable = JdbcClient.create(new DriverManagerDataSource(
            "jdbc:postgresql://127.0.0.1:" + ServiceTestEnvironment.closedPort() + "/gateway?connectTimeout=1", "x", "x"));

    @Test
    void whileTheDatabaseIsAwayAMerchantGetsTheDefaultLimitInsteadOfAnError() {
        RateLimits.Limit defaults = new RateLimits.Limit(2, 3);
        RateLimits limits = new RateLimits(unreachable, defaults);
        RateLimits.Decision first = limits.tryAcquire("mer_db_away");
        assertThat(first.allowed()).isTrue();
        assertThat(first.limit()).isEqualTo(defaults);
        limits.tryAcquire("mer_db_away");
        limits.tryAcquire("mer_db_away");
        assertThat(limits.tryAcquire("mer_db_away").allowed()).as("the default burst of 3 still holds").isFalse();
        limits.refresh();
    }
}
