package dev.nightjar.deploy.grafana;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.deploy.chart.ChartRenders;
import dev.nightjar.deploy.chart.Combination;
import dev.nightjar.deploy.chart.HelmChart;
import dev.nightjar.deploy.chart.Manifest;
import dev.nightjar.deploy.chart.Profile;
import dev.nightjar.deploy.grafana.Dashboards.Dashboard;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The chart ships deploy/grafana's dashboards as ConfigMaps for the Grafana sidecar when
 * metrics.grafanaDashboards.enabled (the production profile), byte for byte, each small enough for Kubernetes.
 */
class DashboardConfigMapsTest {

    /** The API server refuses a ConfigMap whose data is over 1 MiB. */
    private static final int CONFIG_MAP_LIMIT_BYTES = 1024 * 1024;
    private static final Combination ENABLED = new Combination(Profile.PRODUCTION, false);
    private static final Combination DISABLED = new Combination(Profile.MINIMAL, false);

    @Test
    void theChartsCopiesAreTheDashboardsByteForByte() {
        Map<String, String> originals = texts(Dashboards.directory());
        Map<String, String> copies = texts(Dashboards.chartCopies());

        assertThat(copies.keySet()).as("files in %s (copy deploy/grafana/*.json there)", Dashboards.chartCopies())
                .isEqualTo(originals.keySet());
        originals.forEach((file, text) -> assertThat(copies.get(file))
                .as("%s/%s differs from deploy/grafana/%s: copy it again", Dashboards.chartCopies(), file, file).isEqualTo(text));
    }

    @Test
    void everyDashboardIsAConfigMapLabelledForTheGrafanaSidecarWhenEnabled() {
        Map<String, Manifest> byFile = dashboardConfigMaps(ENABLED).stream()
                .collect(Collectors.toMap(m -> m.tree().path("data").properties().iterator().next().getKey(), Function.identity()));

        assertThat(byFile.keySet()).isEqualTo(Dashboards.all().stream().map(Dashboard::fileName).collect(Collectors.toSet()));
        for (Dashboard dashboard : Dashboards.all()) {
            Manifest configMap = byFile.get(dashboard.fileName());
            assertThat(configMap.labels()).as(configMap.describe()).containsEntry("grafana_dashboard", "1")
                    .containsEntry("app.kubernetes.io/part-of", "nightjar");
            assertThat(configMap.tree().path("metadata").path("annotations").path("grafana_folder").asText())
                    .as(configMap.describe()).isEqualTo("Nightjar");
            assertThat(configMap.tree().path("data").size()).as(configMap.describe()).isOne();
            assertThat(configMap.tree().path("data").path(dashboard.fileName()).asText())
                    .as("%s carries %s unchanged", configMap.describe(), dashboard.fileName()).isEqualTo(dashboard.text());
        }
    }

    @Test
    void everyDashboardConfigMapIsUnderKubernetesLimit() {
        List<Manifest> configMaps = dashboardConfigMaps(ENABLED);

        assertThat(configMaps).isNotEmpty().allSatisfy(configMap -> assertThat(
                configMap.tree().toString().getBytes(StandardCharsets.UTF_8).length)
                .as("bytes of %s", configMap.describe()).isLessThan(CONFIG_MAP_LIMIT_BYTES));
    }

    @Test
    void noDashboardConfigMapWhenDisabled() {
        assertThat(dashboardConfigMaps(DISABLED)).isEmpty();
    }

    @Test
    void theValuesSchemaRejectsAMisspeltDashboardsKey() {
        HelmChart chart = HelmChart.nightjar();

        assertThatThrownBy(() -> chart.template(DISABLED, Map.of("metrics.grafanaDashboards.enabeld", "true")))
                .hasMessageContaining("enabeld");
    }

    private static List<Manifest> dashboardConfigMaps(Combination combination) {
        return ChartRenders.of(combination).ofKind("ConfigMap").stream()
                .filter(m -> m.labels().containsKey("grafana_dashboard"))
                .toList();
    }

    private static Map<String, String> texts(Path directory) {
        return Dashboards.jsonFiles(directory).stream().collect(Collectors.toMap(p -> p.getFileName().toString(), p -> {
            try {
                return Files.readString(p);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }));
    }
}
