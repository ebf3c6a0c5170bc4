package dev.nightjar.deploy.autoscaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nightjar.deploy.chart.ChartRenders;
import dev.nightjar.deploy.chart.Combination;
import dev.nightjar.deploy.chart.HelmChart;
import dev.nightjar.deploy.chart.Manifest;
import dev.nightjar.deploy.chart.ManifestDocuments;
import dev.nightjar.deploy.chart.Profile;
import dev.nightjar.deploy.chart.Render;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Predictive autoscaling as the production profile renders it (Istio on and off): the HPAs' External metric is the
 * one the prometheus-adapter rule serves, with labels the forecaster exports; the forecaster is scraped with its own
 * labels, reads only this release's request rates, and is isolated like every workload. Off in the other profiles.
 */
class PredictiveAutoscalingTest {

    /** What the forecaster exports (forecaster module: ForecastMetrics, ForecasterSettings.HORIZONS). */
    static final String METRIC = "nightjar_forecast_requests_per_second";
    static final List<String> HORIZONS = List.of("5m", "15m", "30m");
    static final int FORECASTER_PORT = 9208;
    private static final Pattern SERIES_QUERY = Pattern.compile("^(\\w+)\\{(.*)}$");
    private static final Pattern GROUP_BY = Pattern.compile("by \\(([^)]*)\\)");

    static Stream<Combination> production() {
        return Stream.of(new Combination(Profile.PRODUCTION, false), new Combination(Profile.PRODUCTION, true));
    }

    static Stream<Combination> withoutPredictiveAutoscaling() {
        return Combination.all().stream().filter(c -> c.profile() != Profile.PRODUCTION);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("production")
    void everyForecastMetricOfAnHpaIsOneTheAdapterRuleServesWithLabelsTheForecasterExports(Combination combination) throws IOException {
        Render render = ChartRenders.of(combination);
        JsonNode rule = adapterRule(render);
        Matcher series = SERIES_QUERY.matcher(rule.path("seriesQuery").asText());
        assertThat(series.matches()).as("seriesQuery %s", rule.path("seriesQuery").asText()).isTrue();
        List<String> ruleLabels = labelNames(series.group(2));
        List<Manifest> hpas = render.ofKind("HorizontalPodAutoscaler");

        List<String> forecastHpas = new ArrayList<>();
        for (Manifest hpa : hpas) {
            for (JsonNode metric : hpa.spec().path("metrics")) {
                if (!metric.path("type").asText().equals("External")) {
                    continue;
                }
                JsonNode external = metric.path("external");
                Map<String, String> selector = Manifest.stringMap(external.path("metric").path("selector").path("matchLabels"));
                forecastHpas.add(hpa.name());
                assertThat(external.path("metric").path("name").asText()).as(hpa.describe())
                        .isEqualTo(rule.path("name").path("as").asText()).isEqualTo(METRIC);
                assertThat(series.group(1)).isEqualTo(METRIC);
                assertThat(selector).as(hpa.describe()).containsOnlyKeys("service", "horizon");
                assertThat(ruleLabels).containsAll(selector.keySet());
                // The forecaster's service label is the workload's name (sum by (service) of its requests).
                assertThat(selector.get("service")).isEqualTo(hpa.spec().path("scaleTargetRef").path("name").asText());
                assertThat(selector.get("horizon")).isIn(HORIZONS);
                assertThat(external.path("target").path("type").asText()).isEqualTo("AverageValue");
                assertThat(Double.parseDouble(external.path("target").path("averageValue").asText())).isPositive();
            }
        }
        assertThat(forecastHpas).containsExactlyInAnyOrder("gateway-service", "vault-service", "transaction-service", "auth-service");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("production")
    void theAdapterRuleAnswersInTheHpasNamespaceOneValuePerServiceAndHorizon(Combination combination) throws IOException {
        JsonNode rule = adapterRule(ChartRenders.of(combination));

        assertThat(rule.path("resources").path("overrides").path("namespace").path("resource").asText()).isEqualTo("namespace");
        assertThat(rule.path("resources").path("namespaced").asBoolean(true)).isTrue();
        String metricsQuery = rule.path("metricsQuery").asText();
        assertThat(metricsQuery).contains("<<.Series>>{<<.LabelMatchers>>}");
        Matcher groupBy = GROUP_BY.matcher(metricsQuery);
        assertThat(groupBy.find()).isTrue();
        assertThat(labelList(groupBy.group(1))).containsExactlyInAnyOrder("service", "horizon");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("production")
    void prometheusScrapesTheForecasterKeepingItsServiceLabel(Combination combination) {
        Render render = ChartRenders.of(combination);
        Manifest monitor = named(render, "ServiceMonitor", "forecaster");
        Manifest service = named(render, "Service", "forecaster");
        JsonNode endpoint = monitor.spec().path("endpoints").get(0);

        assertThat(endpoint.path("honorLabels").asBoolean()).as("the forecast's service label must not become exported_service").isTrue();
        assertThat(endpoint.path("path").asText()).isEqualTo("/metrics");
        assertThat(service.spec().path("ports").findValuesAsText("name")).containsExactly(endpoint.path("port").asText());
        assertThat(service.spec().path("ports").get(0).path("port").asInt()).isEqualTo(FORECASTER_PORT);
        assertThat(Manifest.stringMap(monitor.spec().path("selector").path("matchLabels")).entrySet())
                .isSubsetOf(Manifest.stringMap(service.tree().path("metadata").path("labels")).entrySet());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("production")
    void theForecasterReadsThisReleasesRatesAndRunsIsolated(Combination combination) {
        Render render = ChartRenders.of(combination);
        Manifest deployment = named(render, "Deployment", "forecaster");
        JsonNode container = deployment.podSpec().path("containers").get(0);
        Map<String, String> environment = new java.util.LinkedHashMap<>();
        container.path("env").forEach(env -> environment.put(env.path("name").asText(), env.path("value").asText()));

        assertThat(environment.get("NIGHTJAR_FORECASTER_QUERY"))
                .isEqualTo("sum by (service) (rate(http_server_requests_seconds_count{namespace=\"" + HelmChart.NAMESPACE + "\"}[1m]))");
        assertThat(environment).containsKey("NIGHTJAR_FORECASTER_PROMETHEUS_URL");
        assertThat(container.path("ports").get(0).path("containerPort").asInt()).isEqualTo(FORECASTER_PORT);
        assertThat(deployment.podSpec().path("serviceAccountName").asText()).isEqualTo("forecaster");
        assertThat(render.ofKind("ServiceAccount")).extracting(Manifest::name).contains("forecaster");
        assertThat(deployment.podSpec().path("automountServiceAccountToken").asBoolean(true)).isFalse();

        Manifest policy = named(render, "NetworkPolicy", "forecaster");
        Map<String, String> selects = Manifest.stringMap(policy.spec().path("podSelector").path("matchLabels"));
        assertThat(selects).isNotEmpty();
        assertThat(deployment.podLabels().entrySet()).containsAll(selects.entrySet());
        JsonNode ingress = policy.spec().path("ingress");
        assertThat(ingress).hasSize(1);
        assertThat(ingress.get(0).path("ports").findValuesAsText("port")).containsExactly(Integer.toString(FORECASTER_PORT));
        // DNS, then Prometheus: nothing else.
        JsonNode egress = policy.spec().path("egress");
        assertThat(egress).hasSize(2);
        assertThat(egress.get(1).path("ports").findValuesAsText("port")).containsExactly("9090");
        assertThat(egress.get(1).path("to").toString()).doesNotContain("podSelector");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("withoutPredictiveAutoscaling")
    void withPredictiveAutoscalingOffNothingOfItIsRendered(Combination combination) {
        Render render = ChartRenders.of(combination);

        assertThat(render.manifests()).noneMatch(m -> m.name().equals("forecaster")
                || "forecaster".equals(m.labels().get("app.kubernetes.io/name")));
        assertThat(render.ofKind("HorizontalPodAutoscaler"))
                .allSatisfy(hpa -> assertThat(hpa.spec().path("metrics")).extracting(metric -> metric.path("type").asText())
                        .doesNotContain("External"));
    }

    @Test
    void aServiceWithoutATargetScalesOnCpuAlone() {
        Manifest ledger = named(ChartRenders.of(new Combination(Profile.PRODUCTION, false)), "HorizontalPodAutoscaler", "ledger-service");

        assertThat(ledger.spec().path("metrics")).extracting(metric -> metric.path("type").asText()).containsExactly("Resource");
    }

    @Test
    void predictiveAutoscalingWithoutServiceMonitorsIsRefused() {
        Combination production = new Combination(Profile.PRODUCTION, false);

        assertThatThrownBy(() -> HelmChart.nightjar().template(production, Map.of("metrics.serviceMonitor.enabled", "false")))
                .hasMessageContaining("autoscaling.predictive.enabled needs metrics.serviceMonitor.enabled");
    }

    @Test
    void theHorizonAnHpaScalesOnIsTheOneConfigured() {
        Combination production = new Combination(Profile.PRODUCTION, false);
        String yaml = HelmChart.nightjar().template(production, Map.of("autoscaling.predictive.horizon", "5m"));

        List<String> horizons = ManifestDocuments.parse(yaml).stream().filter(m -> m.is("HorizontalPodAutoscaler"))
                .flatMap(hpa -> hpa.spec().path("metrics").findValuesAsText("horizon").stream()).distinct().toList();

        assertThat(horizons).containsExactly("5m");
    }

    /** The single external rule of the adapter ConfigMap's config.yaml. */
    private static JsonNode adapterRule(Render render) throws IOException {
        List<Manifest> configMaps = render.ofKind("ConfigMap").stream().filter(m -> m.tree().path("data").has("config.yaml")).toList();
        assertThat(configMaps).as("the adapter's ConfigMap").hasSize(1);
        JsonNode config = ManifestDocuments.yaml().readTree(configMaps.getFirst().tree().path("data").path("config.yaml").asText());
        assertThat(config.path("externalRules")).hasSize(1);
        return config.path("externalRules").get(0);
    }

    private static Manifest named(Render render, String kind, String name) {
        List<Manifest> found = render.ofKind(kind).stream().filter(m -> m.name().equals(name)).toList();
        assertThat(found).as("%s/%s in %s", kind, name, render.combination()).hasSize(1);
        return found.getFirst();
    }

    /** The label names a series selector matches on: {@code a!="",b="x"} gives a, b. */
    private static List<String> labelNames(String matchers) {
        return Stream.of(matchers.split(",")).map(matcher -> matcher.split("[!=~]")[0].strip()).toList();
    }

    private static List<String> labelList(String labels) {
        return Stream.of(labels.split(",")).map(String::strip).toList();
    }
}
