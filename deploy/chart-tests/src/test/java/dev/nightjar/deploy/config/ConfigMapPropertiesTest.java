package dev.nightjar.deploy.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.deploy.chart.ChartRenders;
import dev.nightjar.deploy.chart.Combination;
import dev.nightjar.deploy.chart.HelmChart;
import dev.nightjar.deploy.chart.Manifest;
import dev.nightjar.deploy.chart.ManifestDocuments;
import dev.nightjar.deploy.chart.Profile;
import dev.nightjar.deploy.chart.Render;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every key the chart writes into a workload's application.properties is a property that workload's service
 * knows (its configuration metadata), in every profile with Istio on and off: a misspelt or renamed key
 * fails here instead of being ignored by Spring in a cluster.
 */
class ConfigMapPropertiesTest {

    private static final String PROPERTIES = "application.properties";

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.nightjar.deploy.chart.ChartRenders#combinations")
    void everyConfigMapKeyIsAPropertyItsServiceKnows(Combination combination) {
        List<String> unknown = unknownKeys(ChartRenders.of(combination));

        assertThat(unknown).as("keys no service property matches, in %s", combination).isEmpty();
    }

    @Test
    void everyServiceGetsAConfigMapWithItsPortsAndTls() {
        for (Render render : ChartRenders.all()) {
            List<Manifest> configMaps = serviceConfigMaps(render);
            assertThat(configMaps.stream().map(ConfigMapPropertiesTest::module).distinct())
                    .as("services with a ConfigMap in %s", render.combination())
                    .containsExactlyInAnyOrderElementsOf(KnownProperties.SERVICE_MODULES);
            for (Manifest configMap : configMaps) {
                assertThat(properties(configMap).stringPropertyNames()).as(configMap.describe())
                        .contains("server.port", "management.server.port", "nightjar.tls.enabled");
            }
        }
    }

    @Test
    void aMisspeltOperatorKeyIsCaught() {
        Render render = renderWith(Map.of("services.gateway.config.nightjar\\.gateway\\.issuerr", "https://x.example"));

        assertThat(unknownKeys(render)).containsExactly("gateway-service: nightjar.gateway.issuerr");
    }

    @Test
    void anotherServicesKeyIsCaught() {
        Render render = renderWith(Map.of("services.gateway.config.nightjar\\.vault\\.kek\\.provider", "vault-transit"));

        assertThat(unknownKeys(render)).containsExactly("gateway-service: nightjar.vault.kek.provider");
    }

    @Test
    void keysAreMatchedThroughMapsListsAndOwnership() {
        KnownProperties auth = KnownProperties.of("auth-service");

        assertThat(auth.knows("nightjar.acquirers.acquirer-a.read-timeout")).isTrue();
        assertThat(auth.knows("nightjar.acquirers.acquirer-a.read-timeuot")).isFalse();
        assertThat(auth.knows("nightjar.clients.vault-service.url")).isTrue();
        assertThat(auth.knows("nightjar.shards.urls[0]")).as("an indexed list property").isTrue();
        assertThat(auth.knows("nightjar.gateway.issuer")).as("the gateway's own property").isFalse();
        assertThat(KnownProperties.of("gateway-service").knows("nightjar.gateway.issuer")).isTrue();
    }

    private static Render renderWith(Map<String, String> sets) {
        Combination combination = new Combination(Profile.MINIMAL, false);
        String yaml = HelmChart.nightjar().template(combination, sets);
        return new Render(combination, yaml, ManifestDocuments.parse(yaml));
    }

    /** "module: key" for each key of each service ConfigMap that its service does not know, sorted. */
    private static List<String> unknownKeys(Render render) {
        List<String> unknown = new ArrayList<>();
        for (Manifest configMap : serviceConfigMaps(render)) {
            KnownProperties known = KnownProperties.of(module(configMap));
            for (String key : new TreeSet<>(properties(configMap).stringPropertyNames())) {
                if (!known.knows(key)) {
                    unknown.add(known.module() + ": " + key);
                }
            }
        }
        return unknown;
    }

    private static List<Manifest> serviceConfigMaps(Render render) {
        return render.ofKind("ConfigMap").stream()
                .filter(configMap -> configMap.tree().path("data").has(PROPERTIES))
                .toList();
    }

    /** The service module a workload runs: acquirer-a and acquirer-b run the acquirer simulator. */
    private static String module(Manifest configMap) {
        String workload = configMap.labels().get("app.kubernetes.io/name");
        return workload.startsWith("acquirer-") ? "acquirer-simulator" : workload;
    }

    private static Properties properties(Manifest configMap) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(configMap.tree().path("data").path(PROPERTIES).asText()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}
