package dev.nightjar.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.common.config.NightjarEnvironmentPostProcessor;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.convert.DurationStyle;

/**
 * The pools let go of an idle connection before the servers would: a connection the server has closed is only
 * found out when a request tries it, and then costs that request a new mutual-TLS handshake.
 */
class PooledHttpTest {

    @Test
    void anIdleConnectionLeavesThePoolBeforeTheServicesKeepAliveTimeoutClosesIt() {
        Duration keepAlive = DurationStyle.detectAndParse(
                (String) NightjarEnvironmentPostProcessor.defaults().getProperty("server.tomcat.keep-alive-timeout"));
        // the evictor looks every tenth of IDLE_EVICTION (HttpClient 5.6); twice it bounds any evictor's period
        Duration longestIdleInPool = Duration.ofMillis(2 * PooledHttp.IDLE_EVICTION.toMilliseconds());

        assertThat(longestIdleInPool).isLessThan(keepAlive);
        assertThat(PooledHttp.IDLE_EVICTION.toMilliseconds()).as("long enough to outlast a fleet's start")
                .isGreaterThanOrEqualTo(Duration.ofMinutes(1).toMillis());
    }
}
