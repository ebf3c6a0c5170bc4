package dev.nightjar.deploy.grafana;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The metric-name reader the contract check relies on: it must find every metric and nothing else. */
class PromQlMetricNamesTest {

    @Test
    void findsTheMetricsOfAQuantileOverARateAndSkipsFunctionsAndGroupingLabels() {
        String expr = "histogram_quantile(0.99, sum by (le, client_name) "
                + "(rate(http_client_requests_seconds_bucket{service=\"auth-service\"}[$__rate_interval])))";

        assertThat(PromQlMetricNames.of(expr)).containsExactly("http_client_requests_seconds_bucket");
    }

    @Test
    void skipsLabelNamesAndValuesInMatchersAndStrings() {
        String expr = "sum(rate(nightjar_payments_total{status=~\"authorized|captured\",acquirer=~\"$acquirer\"}[5m]))"
                + " / sum(rate(nightjar_payments_total{status=~\"declined\"}[5m]))";

        assertThat(PromQlMetricNames.of(expr)).containsExactly("nightjar_payments_total");
    }

    @Test
    void findsBothSidesOfABinaryOperationWithGroupingModifiersAndKeywords() {
        String expr = "max by (name) (a_metric{state=\"open\"}) * on (name) group_left (pool) b_metric"
                + " > bool 0 or vector(0) unless c_metric offset 5m";

        assertThat(PromQlMetricNames.of(expr)).containsExactly("a_metric", "b_metric", "c_metric");
    }

    @Test
    void skipsNumbersDurationsAndScientificNotation() {
        String expr = "time() - max(nightjar_ledger_integrity_last_run_timestamp_seconds) > 1e-05 * 86400";

        assertThat(PromQlMetricNames.of(expr)).containsExactly("nightjar_ledger_integrity_last_run_timestamp_seconds");
    }

    @Test
    void findsARecordingRuleNameWithColons() {
        assertThat(PromQlMetricNames.of("slo:payments_latency:ratio_rate5m > 0")).containsExactly("slo:payments_latency:ratio_rate5m");
    }

    @Test
    void readsTheMetricOfALabelValuesVariableAndRefusesOtherForms() {
        assertThat(PromQlMetricNames.ofLabelValues("label_values(process_cpu_usage, service)")).isEqualTo("process_cpu_usage");
        assertThat(PromQlMetricNames.ofLabelValues("label_values(nightjar_payments_total{status=\"captured\"}, acquirer)"))
                .isEqualTo("nightjar_payments_total");
        assertThatThrownBy(() -> PromQlMetricNames.ofLabelValues("query_result(up)")).isInstanceOf(IllegalArgumentException.class);
    }
}
