package dev.nightjar.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.platform.observe.ObserveCheck;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code ./nightjar observe check} on the test fleet: after payments, declines, a refund, a settlement and an
 * acquirer outage, every recording rule, alert expression and dashboard query is valid against the fleet's
 * real Prometheus and returns series, and the outage's alerts fire.
 */
@ExtendWith(Fleet.class)
@Order(1) // first of the classes sharing the fleet, before any fault run leaves its alerts active
class ObserveEndToEndIT {

    @Test
    void everyRuleAndDashboardQueryReturnsDataAndTheOutageFiresItsAlerts() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        // in the test's output too: what the check waited for, and how long, shows in a run that passes
        ObserveCheck check = new ObserveCheck(Fleet.running().platform(),
                new PrintStream(new TeeStream(printed, System.out), true, StandardCharsets.UTF_8));

        ObserveCheck.Report report = check.run();

        String output = printed.toString(StandardCharsets.UTF_8);
        assertThat(report.outcomes().stream().filter(outcome -> !outcome.ok()).toList()).as(output).isEmpty();
        assertThat(report.count("recording rule")).as("recording rules loaded").isPositive();
        assertThat(report.count("alert")).as("alerts loaded").isPositive();
        assertThat(report.count("dashboard")).as("dashboard queries").isEqualTo(check.dashboardQueries().size()).isPositive();
        assertThat(report.outageAlert("PaymentLatencyBudgetBurn")).as(output).hasValueSatisfying(alert -> {
            assertThat(alert.state()).isEqualTo("firing");
            assertThat(alert.activeAt()).as("became active during the outage").isAfterOrEqualTo(alert.outageStart());
        });
        // its for: (5 minutes) outlasts the outage the check holds: pending is as far as it gets
        assertThat(report.outageAlert("AcquirerCircuitBreakerOpen")).as(output).hasValueSatisfying(alert -> {
            assertThat(alert.state()).isIn("pending", "firing");
            assertThat(alert.activeAt()).as("became active during the outage").isAfterOrEqualTo(alert.outageStart());
        });
        assertThat(report.passed()).as(output).isTrue();
        // and leaves the fleet as it found it, for the classes after it
        assertThat(output).contains("acquirer-a's breaker closed again");
    }
}
