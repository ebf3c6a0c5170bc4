package dev.nightjar.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.convert.DurationStyle;

/**
 * The pools let go of an idle connection before the servers would: a connection the server has closed is only
 * found out when a request tries it, and then costs that request a new mutual-TLS handshake.
 */
class PooledHttpTest {

    @Test
    void anIdleConnectionLeavesThePoolBeforeTheServicesKeepAliveTimeoutClosesIt() throws IOException {
        Properties defaults = new Properties();
        try (InputStream in = PooledHttp.class.getResourceAsStream("/dev/nightjar/common/nightjar-defaults.properties")) {
            defaults.load(in);
        }
        Duration keepAlive = DurationStyle.detectAndParse(defaults.getProperty("server.tomcat.keep-alive-timeout"));
        // the evictor looks every tenth of IDLE_EVICTION (HttpClient 5.6); twice it bounds any evictor's period
        Duration longestIdleInPool = Duration.ofMillis(2 * PooledHttp.IDLE_EVICTION.toMilliseconds());

        assertThat(longestIdleInPool).isLessThan(keepAlive);
        assertThat(PooledHttp.IDLE_EVICTION.toMilliseconds()).as("long enough to outlast a fleet's start")
                .isGreaterThanOrEqualTo(Duration.ofMinutes(1).toMillis());
    }
}
