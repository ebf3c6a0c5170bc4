package dev.nightjar.deploy.grafana;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.deploy.grafana.Dashboards.Dashboard;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** The house rules of Nightjar's dashboards, over every dashboard in deploy/grafana. */
class DashboardConventionsTest {

    /** The dashboards' own variables; nothing else, so every dashboard reads the same on every Grafana. */
    private static final Set<String> VARIABLES = Set.of("datasource", "service", "acquirer");
    private static final Set<String> BUILT_INS = Set.of("__rate_interval", "__interval", "__range");
    private static final Pattern VARIABLE_REFERENCE = Pattern.compile("\\$\\{?(\\w+)");
    private static final Pattern UID = Pattern.compile("nightjar-[a-z0-9-]{1,31}");
    private static final int OLDEST_SCHEMA_VERSION = 39;
    private static final int GRID_WIDTH = 24;

    static List<Dashboard> dashboards() {
        return Dashboards.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dashboards")
    void everyPanelHasATargetWithANonEmptyExpressionAndADatasource(Dashboard dashboard) {
        assertThat(dashboard.panels()).as("panels of %s", dashboard).isNotEmpty();
        for (JsonNode panel : dashboard.panels()) {
            assertThat(panel.path("datasource").path("uid").asString("")).as("%s: %s datasource", dashboard, title(panel))
                    .isEqualTo("${datasource}");
            assertThat(panel.path("targets")).as("%s: %s targets", dashboard, title(panel)).isNotEmpty()
                    .allSatisfy(target -> {
                        assertThat(target.path("expr").asString("")).as("%s: %s expr", dashboard, title(panel)).isNotBlank();
                        assertThat(target.path("datasource").path("uid").asString("")).as("%s: %s target datasource",
                                dashboard, title(panel)).isEqualTo("${datasource}");
                        assertThat(target.path("refId").asString("")).isNotBlank();
                    });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dashboards")
    void everyPanelHasADescriptionAUnitAndThresholds(Dashboard dashboard) {
        for (JsonNode panel : dashboard.panels()) {
            assertThat(panel.path("description").asString("")).as("%s: %s description", dashboard, title(panel)).isNotBlank();
            JsonNode defaults = panel.path("fieldConfig").path("defaults");
            assertThat(defaults.path("unit").asString("")).as("%s: %s unit", dashboard, title(panel)).isNotBlank();
            assertThat(defaults.path("thresholds").path("steps")).as("%s: %s thresholds", dashboard, title(panel)).isNotEmpty();
        }
    }

    @Test
    void uidsAreUniqueStableAndNamedAfterTheirFile() {
        Map<String, String> fileByUid = new HashMap<>();
        for (Dashboard dashboard : dashboards()) {
            String uid = dashboard.uid();
            assertThat(uid).as("uid of %s", dashboard).matches(UID)
                    .isEqualTo("nightjar-" + dashboard.fileName().replace(".json", ""));
            assertThat(fileByUid.put(uid, dashboard.fileName())).as("uid %s used twice", uid).isNull();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dashboards")
    void panelIdsAndQueryRefIdsAreUniqueAndPanelsDoNotOverlap(Dashboard dashboard) {
        Set<Integer> ids = new HashSet<>();
        Set<Long> cells = new HashSet<>();
        for (JsonNode panel : dashboard.panels()) {
            assertThat(ids.add(panel.path("id").asInt(-1))).as("%s: panel id %s twice", dashboard, panel.path("id")).isTrue();
            Set<String> refIds = new HashSet<>();
            panel.path("targets").forEach(t -> assertThat(refIds.add(t.path("refId").asString()))
                    .as("%s: %s refId %s twice", dashboard, title(panel), t.path("refId")).isTrue());
            JsonNode grid = panel.path("gridPos");
            int x = grid.path("x").asInt();
            int w = grid.path("w").asInt();
            assertThat(x + w).as("%s: %s fits the 24-column grid", dashboard, title(panel)).isLessThanOrEqualTo(GRID_WIDTH);
            for (int row = grid.path("y").asInt(); row < grid.path("y").asInt() + grid.path("h").asInt(); row++) {
                for (int column = x; column < x + w; column++) {
                    assertThat(cells.add((long) row * GRID_WIDTH + column))
                            .as("%s: %s overlaps another panel at row %d column %d", dashboard, title(panel), row, column).isTrue();
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dashboards")
    void onlyTheAgreedVariablesAreDeclaredAndEveryReferenceIsDeclaredOrBuiltIn(Dashboard dashboard) {
        Set<String> declared = new TreeSet<>();
        for (JsonNode variable : dashboard.tree().path("templating").path("list")) {
            declared.add(variable.path("name").asString());
        }
        assertThat(declared).as("variables of %s", dashboard).contains("datasource").isSubsetOf(VARIABLES);

        Set<String> referenced = new TreeSet<>(references(dashboard.tree().path("panels")));
        // a variable's current value may be Grafana's "$__all"; its query and data source are what refer
        for (JsonNode variable : dashboard.tree().path("templating").path("list")) {
            referenced.addAll(references(variable.path("query")));
            referenced.addAll(references(variable.path("datasource")));
        }
        Set<String> allowed = new HashSet<>(declared);
        allowed.addAll(BUILT_INS);
        assertThat(referenced).as("variables referenced in %s", dashboard).isSubsetOf(allowed);
        assertThat(referenced).as("declared variables %s uses", dashboard).containsAll(declared);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dashboards")
    void theDatasourceIsAPrometheusVariableAndTheOthersAreLabelValuesQueries(Dashboard dashboard) {
        for (JsonNode variable : dashboard.tree().path("templating").path("list")) {
            String name = variable.path("name").asString();
            if (name.equals("datasource")) {
                assertThat(variable.path("type").asString()).isEqualTo("datasource");
                assertThat(variable.path("query").asString()).isEqualTo("prometheus");
            } else {
                assertThat(variable.path("type").asString()).as("%s: $%s", dashboard, name).isEqualTo("query");
                assertThat(variable.path("datasource").path("uid").asString()).as("%s: $%s", dashboard, name).isEqualTo("${datasource}");
                assertThat(variable.path("query").asString()).as("%s: $%s", dashboard, name).startsWith("label_values(");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dashboards")
    void aCurrentSchemaVersionAndNoRecordingRule(Dashboard dashboard) {
        assertThat(dashboard.tree().path("schemaVersion").asInt()).as("schemaVersion of %s", dashboard)
                .isGreaterThanOrEqualTo(OLDEST_SCHEMA_VERSION);
        for (JsonNode panel : dashboard.panels()) {
            panel.path("targets").forEach(target -> assertThat(PromQlMetricNames.of(target.path("expr").asString()))
                    .as("%s: %s selects a recording rule (name with ':'); queries compute from raw metrics", dashboard, title(panel))
                    .noneMatch(name -> name.contains(":")));
        }
    }

    private static List<String> references(JsonNode node) {
        List<String> names = new ArrayList<>();
        if (node.isString()) {
            Matcher matcher = VARIABLE_REFERENCE.matcher(node.asString());
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
        }
        node.forEach(child -> names.addAll(references(child)));
        return names;
    }

    private static String title(JsonNode panel) {
        return "panel '" + panel.path("title").asString() + "'";
    }
}
