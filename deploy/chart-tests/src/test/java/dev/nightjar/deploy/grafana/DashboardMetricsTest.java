package dev.nightjar.deploy.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.deploy.grafana.Dashboards.Dashboard;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** Every metric a dashboard queries is one the services export: a name of deploy/grafana/metrics.txt. */
class DashboardMetricsTest {

    private static final Set<String> CONTRACT = MetricContract.names();

    static List<Dashboard> dashboards() {
        return Dashboards.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dashboards")
    void everyMetricAPanelQueriesIsInTheMetricsContract(Dashboard dashboard) {
        Map<String, Set<String>> unknownByPanel = new TreeMap<>();
        int selected = 0;
        for (JsonNode panel : dashboard.panels()) {
            for (JsonNode target : panel.path("targets")) {
                Set<String> names = PromQlMetricNames.of(target.path("expr").asString());
                selected += names.size();
                Set<String> unknown = new TreeSet<>(names);
                unknown.removeAll(CONTRACT);
                if (!unknown.isEmpty()) {
                    unknownByPanel.computeIfAbsent(panel.path("title").asString(), k -> new TreeSet<>()).addAll(unknown);
                }
            }
        }
        assertThat(selected).as("metric names selected in %s", dashboard).isPositive();
        assertThat(unknownByPanel).as("metrics of %s missing from %s", dashboard, MetricContract.file()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dashboards")
    void everyVariableQueriesAMetricOfTheContract(Dashboard dashboard) {
        for (JsonNode variable : dashboard.tree().path("templating").path("list")) {
            if (variable.path("type").asString().equals("query")) {
                assertThat(PromQlMetricNames.ofLabelValues(variable.path("query").asString()))
                        .as("%s: $%s", dashboard, variable.path("name").asString()).isIn(CONTRACT);
            }
        }
    }

    @Test
    void everyMetricOfTheContractIsQueriedSomewhereOrIsAHistogramsSum() {
        Set<String> queried = new TreeSet<>();
        for (Dashboard dashboard : dashboards()) {
            for (JsonNode panel : dashboard.panels()) {
                panel.path("targets").forEach(t -> queried.addAll(PromQlMetricNames.of(t.path("expr").asString())));
            }
        }
        Set<String> unused = new TreeSet<>(CONTRACT);
        unused.removeAll(queried);
        unused.removeIf(name -> name.endsWith("_sum") || name.endsWith("_count") || name.endsWith("_bucket"));

        assertThat(unused).as("contract metrics no dashboard shows").isEmpty();
    }
}
