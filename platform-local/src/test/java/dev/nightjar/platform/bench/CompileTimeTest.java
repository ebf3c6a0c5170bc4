package dev.nightjar.platform.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.platform.observe.PrometheusApi;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompileTimeTest {

    @Test
    void theSecondsBetweenTwoReadingsArePerInstanceAndLeaveOutInstancesNotInBoth() {
        CompileTime start = new CompileTime(Map.of("gateway-service", 10_000.0, "auth-service", 8_000.0, "risk-service", 500.0));
        CompileTime end = new CompileTime(Map.of("gateway-service", 12_500.0, "auth-service", 8_000.0, "ledger-service", 900.0));
        assertThat(CompileTime.secondsBetween(start, end)).containsExactly(Map.entry("auth-service", 0.0),
                Map.entry("gateway-service", 2.5));
    }

    @Test
    void anInstanceWhoseCounterWentDownWasRestartedAndCountsWhatItCompiledSince() {
        CompileTime start = new CompileTime(Map.of("gateway-service", 40_000.0));
        CompileTime end = new CompileTime(Map.of("gateway-service", 3_000.0));
        assertThat(CompileTime.secondsBetween(start, end)).containsExactly(Map.entry("gateway-service", 3.0));
    }

    @Test
    void noReadingWhenPrometheusIsNotThere() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        assertThat(CompileTime.read(new PrometheusApi("http://127.0.0.1:" + port))).isEmpty();
    }
}
