package dev.nightjar.deploy.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The chart ships the rules of deploy/prometheus/rules as a prometheus-operator PrometheusRule. Helm reads no
 * file outside the chart, so the chart keeps a copy (files/prometheus), which must be the same, byte for byte;
 * and the rendered PrometheusRule must carry every group of it unchanged.
 */
class ChartPrometheusRuleTest {

    private static final String RUNBOOK_BASE = "https://git.example.com/payments/nightjar/blob/main";

    @Test
    void theChartsCopyOfTheRuleFilesIsExactlyDeployPrometheusRules() throws Exception {
        List<Path> rules = Repository.yamlFiles(Repository.RULES);
        List<Path> copies = Repository.yamlFiles(Repository.CHART_RULES);

        assertThat(copies.stream().map(Path::getFileName).toList()).as("files in %s", Repository.CHART_RULES)
                .isEqualTo(rules.stream().map(Path::getFileName).toList());
        for (Path rule : rules) {
            Path copy = Repository.CHART_RULES.resolve(rule.getFileName());
            assertThat(Files.mismatch(rule, copy)).as("first differing byte of %s and %s (-1: none); copy it again", copy, rule)
                    .isEqualTo(-1L);
        }
    }

    @Test
    void theRenderedPrometheusRuleHoldsEveryGroupOfTheRuleFilesUnchanged() {
        List<JsonNode> rendered = prometheusRules(render("production.yaml", Map.of()));

        assertThat(rendered).hasSize(1);
        JsonNode rule = rendered.getFirst();
        assertThat(rule.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(rule.path("metadata").path("namespace").asText()).isEqualTo("nightjar");
        assertThat(rule.path("spec").path("groups")).isEqualTo(groupsOfTheRuleFiles());
    }

    @Test
    void aRunbookBaseUrlTurnsEveryRunbookPathIntoALink() {
        JsonNode rule = prometheusRules(render("production.yaml",
                Map.of("metrics.prometheusRule.runbookBaseUrl", RUNBOOK_BASE + "/"))).getFirst();

        List<String> urls = new ArrayList<>();
        rule.path("spec").path("groups").forEach(group -> group.path("rules").forEach(r -> {
            if (r.has("alert")) {
                urls.add(r.path("annotations").path("runbook_url").asText());
            }
        }));
        assertThat(urls).hasSameSizeAs(AlertRule.all())
                .containsExactlyElementsOf(AlertRule.all().stream().map(a -> RUNBOOK_BASE + "/" + a.runbookUrl()).toList());
    }

    @Test
    void noPrometheusRuleIsRenderedWithoutTheServiceMonitorsItsRulesRead() {
        assertThat(prometheusRules(render("minimal.yaml", Map.of()))).isEmpty();
        assertThat(prometheusRules(render("production.yaml", Map.of("metrics.prometheusRule.enabled", "false")))).isEmpty();
    }

    private static ArrayNode groupsOfTheRuleFiles() {
        ArrayNode groups = JsonNodeFactory.instance.arrayNode();
        for (Path file : Repository.yamlFiles(Repository.RULES)) {
            groups.addAll((ArrayNode) Yaml.read(file).path("groups"));
        }
        return groups;
    }

    private static String render(String profile, Map<String, String> sets) {
        TemplateCommand template = new Helm(Repository.CHART).template()
                .withName("nightjar")
                .withNamespace("nightjar")
                .withValuesFile(Repository.CHART.resolve("profiles").resolve(profile));
        for (Map.Entry<String, String> set : sets.entrySet()) {
            template = template.set(set.getKey(), set.getValue());
        }
        return template.call();
    }

    private static List<JsonNode> prometheusRules(String rendered) {
        List<JsonNode> rules = new ArrayList<>();
        for (String document : rendered.split("(?m)^---[ \\t]*$")) {
            JsonNode manifest = Yaml.read(document, "rendered chart");
            if (manifest != null && manifest.path("kind").asText().equals("PrometheusRule")) {
                rules.add(manifest);
            }
        }
        return rules;
    }
}
