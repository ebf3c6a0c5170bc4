package dev.nightjar.deploy.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.deploy.grafana.Dashboards.Dashboard;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every dashboard is valid against Grafana's dashboard schema, each panel's options against its plugin's
 * schema, and each panel against Nightjar's stricter panel schema; and each of the three rejects a misspelt
 * field that the others let through.
 */
class DashboardSchemaTest {

    private static final GrafanaSchemas SCHEMAS = new GrafanaSchemas();

    static List<Dashboard> dashboards() {
        return Dashboards.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dashboards")
    void everyDashboardIsValidAgainstGrafanasDashboardSchema(Dashboard dashboard) {
        assertThat(SCHEMAS.dashboardViolations(dashboard.tree())).as(dashboard.fileName()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dashboards")
    void everyPanelsOptionsAndCustomFieldConfigAreValidAgainstItsPluginsSchema(Dashboard dashboard) {
        assertThat(pluginViolations(dashboard)).as(dashboard.fileName()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dashboards")
    void everyPanelIsValidAgainstNightjarsStricterPanelSchema(Dashboard dashboard) {
        assertThat(nightjarViolations(dashboard)).as(dashboard.fileName()).isEmpty();
    }

    @Test
    void aMisspeltPanelFieldIsRejectedByGrafanasDashboardSchema() {
        Dashboard broken = firstPanelChanged(panel -> rename(panel, "description", "descripton"));

        assertThat(SCHEMAS.dashboardViolations(broken.tree()))
                .anySatisfy(v -> assertThat(v).startsWith("/panels/0").contains("descripton"));
    }

    @Test
    void aMisspeltDashboardFieldIsRejectedByGrafanasDashboardSchema() {
        ObjectNode tree = (ObjectNode) sample().tree().deepCopy();
        rename(tree, "timezone", "timeZone");

        assertThat(SCHEMAS.dashboardViolations(tree)).anySatisfy(v -> assertThat(v).contains("timeZone"));
    }

    @Test
    void aWrongTypeInAPanelIsRejectedByGrafanasDashboardSchema() {
        Dashboard broken = firstPanelChanged(panel -> {
            ((ObjectNode) panel.path("gridPos")).put("w", "12");
            return panel;
        });

        assertThat(SCHEMAS.dashboardViolations(broken.tree())).anySatisfy(v -> assertThat(v).startsWith("/panels/0/gridPos/w"));
    }

    @Test
    void aMisspeltQueryFieldPassesGrafanasSchemaButNotNightjars() {
        Dashboard broken = firstPanelChanged(panel -> {
            rename((ObjectNode) panel.path("targets").path(0), "expr", "exp");
            return panel;
        });

        assertThat(SCHEMAS.dashboardViolations(broken.tree())).as("Grafana's schema leaves targets open").isEmpty();
        assertThat(nightjarViolations(broken)).anySatisfy(v -> assertThat(v).startsWith("/panels/0/targets/0").contains("exp"));
    }

    @Test
    void aMisspeltPanelOptionPassesGrafanasDashboardSchemaButNotThePluginSchema() {
        Dashboard broken = panelChanged(ofType("stat"), panel -> {
            ObjectNode options = (ObjectNode) panel.path("options");
            rename(options, "colorMode", "colourMode");
            return panel;
        });

        assertThat(SCHEMAS.dashboardViolations(broken.tree())).as("Grafana's dashboard schema leaves options open").isEmpty();
        assertThat(pluginViolations(broken)).anySatisfy(v -> assertThat(v).startsWith("/panels/0/options").contains("colourMode"));
    }

    @Test
    void aMisspeltCustomFieldConfigIsRejectedByThePluginSchema() {
        Dashboard broken = panelChanged(ofType("timeseries"), panel -> {
            rename((ObjectNode) panel.path("fieldConfig").path("defaults").path("custom"), "thresholdsStyle", "thresholdStyle");
            return panel;
        });

        assertThat(pluginViolations(broken)).anySatisfy(v -> assertThat(v).contains("/fieldConfig/defaults/custom").contains("thresholdStyle"));
    }

    @Test
    void aPanelTypeWithoutAVendoredPluginSchemaIsRejected() {
        Dashboard broken = firstPanelChanged(panel -> ((ObjectNode) panel).put("type", "piechart"));

        assertThat(pluginViolations(broken)).anySatisfy(v -> assertThat(v).contains("piechart"));
        assertThat(nightjarViolations(broken)).anySatisfy(v -> assertThat(v).startsWith("/panels/0/type"));
    }

    @Test
    void aPanelWithoutDescriptionOrWithAnotherDatasourceIsRejectedByNightjarsSchema() {
        Dashboard undescribed = firstPanelChanged(panel -> {
            ((ObjectNode) panel).remove("description");
            return panel;
        });
        Dashboard elsewhere = firstPanelChanged(panel -> {
            ((ObjectNode) panel.path("targets").path(0).path("datasource")).put("uid", "prometheus-prod");
            return panel;
        });

        assertThat(nightjarViolations(undescribed)).anySatisfy(v -> assertThat(v).contains("description"));
        assertThat(nightjarViolations(elsewhere)).anySatisfy(v -> assertThat(v).startsWith("/panels/0/targets/0/datasource/uid"));
    }

    private static List<String> pluginViolations(Dashboard dashboard) {
        List<String> found = new ArrayList<>();
        forEachPanel(dashboard, (panel, at) -> found.addAll(SCHEMAS.panelPluginViolations(panel, at)));
        return found;
    }

    private static List<String> nightjarViolations(Dashboard dashboard) {
        List<String> found = new ArrayList<>();
        forEachPanel(dashboard, (panel, at) -> found.addAll(SCHEMAS.nightjarPanelViolations(panel, at)));
        return found;
    }

    private static void forEachPanel(Dashboard dashboard, BiConsumer<JsonNode, String> check) {
        JsonNode panels = dashboard.tree().path("panels");
        for (int i = 0; i < panels.size(); i++) {
            check.accept(panels.get(i), "/panels/" + i);
        }
    }

    private static Dashboard sample() {
        return dashboards().getFirst();
    }

    private static Predicate<JsonNode> ofType(String type) {
        return panel -> panel.path("type").asString("").equals(type);
    }

    private static Dashboard firstPanelChanged(UnaryOperator<JsonNode> change) {
        return panelChanged(panel -> true, change);
    }

    /** A copy of the first dashboard with a panel matching {@code which} moved first and changed. */
    private static Dashboard panelChanged(Predicate<JsonNode> which, UnaryOperator<JsonNode> change) {
        for (Dashboard dashboard : dashboards()) {
            ObjectNode tree = (ObjectNode) dashboard.tree().deepCopy();
            ArrayNode panels = (ArrayNode) tree.path("panels");
            for (int i = 0; i < panels.size(); i++) {
                if (which.test(panels.get(i))) {
                    JsonNode changed = change.apply(panels.get(i));
                    panels.remove(i);
                    panels.insert(0, changed);
                    return new Dashboard(dashboard.fileName(), tree.toString(), tree);
                }
            }
        }
        throw new IllegalStateException("no panel to change");
    }

    private static ObjectNode rename(ObjectNode node, String from, String to) {
        assertThat(node.has(from)).as("the field %s to misspell", from).isTrue();
        node.set(to, node.remove(from));
        return node;
    }

    private static JsonNode rename(JsonNode node, String from, String to) {
        return rename((ObjectNode) node, from, to);
    }
}
