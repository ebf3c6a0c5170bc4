package dev.nightjar.deploy.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nightjar.deploy.chart.ChartRenders;
import dev.nightjar.deploy.chart.Combination;
import dev.nightjar.deploy.chart.Manifest;
import dev.nightjar.deploy.chart.Profile;
import dev.nightjar.deploy.chart.Render;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Spans leave for the OTLP collector only when the values name one: then every service is told its endpoint,
 * sampling ratio and ceiling of new traces a second, and every service's NetworkPolicy lets it reach the collector's
 * port.
 */
class TracingExportTest {

    private static final String ENDPOINT = "management.opentelemetry.tracing.export.otlp.endpoint=";

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.nightjar.deploy.chart.ChartRenders#combinations")
    void servicesExportToTheCollectorExactlyWhenTheProfileNamesOne(Combination combination) {
        Render render = ChartRenders.of(combination);
        boolean exported = combination.profile() == Profile.PRODUCTION;
        List<Manifest> configMaps = render.ofKind("ConfigMap").stream()
                .filter(configMap -> configMap.tree().path("data").has("application.properties")).toList();
        List<Manifest> servicePolicies = render.ofKind("NetworkPolicy").stream()
                .filter(policy -> configMaps.stream().anyMatch(configMap -> configMap.name()
                        .equals(policy.spec().path("podSelector").path("matchLabels").path("app.kubernetes.io/name").asText()
                                + "-config")))
                .toList();

        assertThat(configMaps).isNotEmpty();
        for (Manifest configMap : configMaps) {
            String properties = configMap.tree().path("data").path("application.properties").asText();
            assertThat(properties).as(configMap.describe()).contains("management.tracing.sampling.probability=0.1")
                    .contains("nightjar.tracing.max-traces-per-second=20");
            if (exported) {
                assertThat(properties).as(configMap.describe())
                        .contains(ENDPOINT + "http://otel-collector.observability.svc:4318/v1/traces")
                        .contains("management.tracing.export.enabled=true");
            } else {
                assertThat(properties).as(configMap.describe()).doesNotContain(ENDPOINT);
            }
        }
        if (combination.profile() != Profile.MINIMAL) {
            assertThat(servicePolicies).as("NetworkPolicies of the services in %s", combination).hasSameSizeAs(configMaps);
        }
        for (Manifest policy : servicePolicies) {
            assertThat(allowsEgressToPort(policy, 4318)).as(policy.describe()).isEqualTo(exported);
        }
    }

    private static boolean allowsEgressToPort(Manifest policy, int port) {
        for (JsonNode rule : policy.spec().path("egress")) {
            for (JsonNode allowed : rule.path("ports")) {
                if (allowed.path("port").asInt() == port) {
                    return true;
                }
            }
        }
        return false;
    }
}
