package dev.nightjar.platform.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrafficTest {

    @Test
    void theGatewaysTimeIsReadFromItsServerTimingMetricAmongOthers() {
        assertThat(Traffic.gatewayMillis(List.of("gateway;dur=7912.4"))).isEqualTo(7912.4);
        assertThat(Traffic.gatewayMillis(List.of("cdn;dur=3, gateway;desc=\"edge\";dur=12.5"))).isEqualTo(12.5);
        assertThat(Traffic.gatewayMillis(List.of("db;dur=4", "gateway;dur=8"))).isEqualTo(8.0);
    }

    @Test
    void noGatewayMetricOrAnUnreadableOneIsNotANumber() {
        assertThat(Traffic.gatewayMillis(List.of())).isNaN();
        assertThat(Traffic.gatewayMillis(List.of("db;dur=4"))).isNaN();
        assertThat(Traffic.gatewayMillis(List.of("gateway;dur=soon"))).isNaN();
    }

    @Test
    void aLateExchangeIsDescribedWithBothTimesAndWhenItCame() {
        long zero = 1_000_000_000L;
        Observations.Exchange late = new Observations.Exchange(zero + 40_000_000_000L, zero + 51_600_000_000L, "payment",
                503, "503 service_unavailable", true, 5_912.0);
        assertThat(late.describe(zero)).isEqualTo(
                "payment answered at +51.6 s after 11.6 s (the gateway: 5.9 s): 503 service_unavailable");
        Observations.Exchange unanswered = new Observations.Exchange(zero, zero + 15_000_000_000L, "refund", -1,
                "no answer in 15 s", false, Double.NaN);
        assertThat(unanswered.describe(zero)).isEqualTo(
                "refund answered at +15.0 s after 15.0 s (the gateway: no Server-Timing): no answer in 15 s");
    }
}
