package dev.nightjar.deploy.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.LintResult;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The chart lints clean under --strict, renders for every combination, and its values schema is closed and typed. */
class ChartLintTest {

    private final HelmChart chart = HelmChart.nightjar();

    @Test
    void chartPassesHelmLintStrict() {
        LintResult result = chart.lintStrict();

        assertThat(result.isFailed()).as("helm lint --strict: %s", result.getMessages()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.nightjar.deploy.chart.ChartRenders#combinations")
    void everyProfileRendersWithIstioOnAndOff(Combination combination) {
        Render render = ChartRenders.of(combination);

        assertThat(render.manifests()).as("manifests of %s", combination).isNotEmpty();
    }

    @Test
    void istioResourcesAreRenderedOnlyWhenIstioIsEnabled() {
        for (Combination combination : Combination.all()) {
            boolean rendersIstio = ChartRenders.of(combination).manifests().stream()
                    .anyMatch(m -> m.apiVersion().contains(".istio.io/"));
            assertThat(rendersIstio).as("Istio resources in %s", combination).isEqualTo(combination.istioEnabled());
        }
    }

    @Test
    void valuesSchemaRejectsAnUnknownTopLevelKey() {
        assertThatThrownBy(() -> chart.template(new Combination(Profile.MINIMAL, false), Map.of("replicaCuont", "2")))
                .hasMessageContaining("replicaCuont");
    }

    @Test
    void valuesSchemaRejectsAnUnknownNestedKey() {
        assertThatThrownBy(() -> chart.template(new Combination(Profile.MINIMAL, false), Map.of("istio.enabeld", "true")))
                .hasMessageContaining("enabeld");
    }

    @Test
    void valuesSchemaRejectsAWrongType() {
        assertThatThrownBy(() -> chart.template(new Combination(Profile.MINIMAL, false), Map.of("istio.enabled", "sometimes")))
                .hasMessageContaining("istio")
                .hasMessageContaining("boolean");
    }
}
