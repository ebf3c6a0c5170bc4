package dev.nightjar.platform.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrafficTest {

    @Test
    void theGatewaysTimeIsReadFromItsServerTimingMetricAmongOthers() {
        assertThat(Traffic.serverTiming(List.of("gateway;dur=7912.4"), "gateway")).isEqualTo(7912.4);
        assertThat(Traffic.serverTiming(List.of("cdn;dur=3, gateway;desc=\"edge\";dur=12.5"), "gateway")).isEqualTo(12.5);
        assertThat(Traffic.serverTiming(List.of("db;dur=4", "gateway;dur=8"), "gateway")).isEqualTo(8.0);
    }

    @Test
    void theWaitBeforeTheGatewayBeganIsReadBesideItsTime() {
        List<String> header = List.of("gateway;dur=10012.3, wait;dur=8400.0");
        assertThat(Traffic.serverTiming(header, "gateway")).isEqualTo(10012.3);
        assertThat(Traffic.serverTiming(header, "wait")).isEqualTo(8400.0);
    }

    @Test
    void noGatewayMetricOrAnUnreadableOneIsNotANumber() {
        assertThat(Traffic.serverTiming(List.of(), "gateway")).isNaN();
        assertThat(Traffic.serverTiming(List.of("db;dur=4"), "gateway")).isNaN();
        assertThat(Traffic.serverTiming(List.of("gateway;dur=soon"), "gateway")).isNaN();
    }

    @Test
    void aLateExchangeIsDescribedWithBothTimesAndWhenItCame() {
        long zero = 1_000_000_000L;
        Observations.Exchange late = new Observations.Exchange(zero + 40_000_000_000L, zero + 51_600_000_000L, "payment",
                503, "503 service_unavailable", true, 5_912.0, 4_250.0);
        assertThat(late.describe(zero)).isEqualTo("payment answered at +51.6 s after 11.6 s (the gateway: 5.9 s,"
                + " 4.3 s of it before it began): 503 service_unavailable");
        Observations.Exchange unanswered = new Observations.Exchange(zero, zero + 15_000_000_000L, "refund", -1,
                "no answer in 15 s", false, Double.NaN, Double.NaN);
        assertThat(unanswered.describe(zero)).isEqualTo(
                "refund answered at +15.0 s after 15.0 s (the gateway: no Server-Timing): no answer in 15 s");
    }
}
