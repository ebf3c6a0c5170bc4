package dev.nightjar.deploy.grafana;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * The schemas a dashboard is checked against: Grafana's dashboard schema and its panel plugins' option schemas
 * (vendored in deploy/grafana/schema, generated from Grafana's published @grafana/schema), and Nightjar's own
 * stricter panel schema (test resource grafana/nightjar-panel.schema.json). A violation reads
 * {@code <JSON pointer in the checked document>: <message>}.
 */
final class GrafanaSchemas {

    private static final String BASE = "https://nightjar.invalid/grafana/";
    private static final String DASHBOARD = BASE + "dashboard.schema.json";
    private static final String NIGHTJAR_PANEL = BASE + "nightjar-panel.schema.json";

    private final SchemaRegistry registry;
    private final Set<String> panelTypes;
    /** The panel types whose plugin has a FieldConfig, i.e. takes fieldConfig.defaults.custom. */
    private final Set<String> panelTypesWithCustom;
    private final Map<String, Schema> schemas = new HashMap<>();

    GrafanaSchemas() {
        Path vendored = Dashboards.directory().resolve("schema");
        Map<String, String> documents = new HashMap<>();
        documents.put(DASHBOARD, read(vendored.resolve("dashboard.schema.json")));
        documents.put(NIGHTJAR_PANEL, resource("/grafana/nightjar-panel.schema.json"));
        List<Path> panelSchemas = Dashboards.jsonFiles(vendored.resolve("panels"));
        for (Path panelSchema : panelSchemas) {
            documents.put(BASE + "panels/" + panelSchema.getFileName(), read(panelSchema));
        }
        this.panelTypes = panelSchemas.stream().map(GrafanaSchemas::panelType).collect(Collectors.toUnmodifiableSet());
        this.panelTypesWithCustom = panelSchemas.stream()
                .filter(p -> Dashboards.JSON.readTree(documents.get(BASE + "panels/" + p.getFileName())).path("definitions").has("FieldConfig"))
                .map(GrafanaSchemas::panelType).collect(Collectors.toUnmodifiableSet());
        this.registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7,
                builder -> builder.schemas(Map.copyOf(documents)));
    }

    /** Against Grafana's dashboard schema (the whole dashboard). */
    List<String> dashboardViolations(JsonNode dashboard) {
        return violations(DASHBOARD, dashboard, "");
    }

    /** Against Nightjar's own panel schema (targets closed, description, unit, datasource variable). */
    List<String> nightjarPanelViolations(JsonNode panel, String at) {
        return violations(NIGHTJAR_PANEL, panel, at);
    }

    /**
     * A panel's {@code options} against its plugin's Options, and {@code fieldConfig.defaults.custom} against
     * its plugin's FieldConfig; a plugin without a FieldConfig takes no custom field config at all.
     */
    List<String> panelPluginViolations(JsonNode panel, String at) {
        String type = panel.path("type").asString("");
        if (!panelTypes.contains(type)) {
            return List.of(at + "/type: no vendored plugin schema for panel type '" + type + "' (deploy/grafana/schema/panels)");
        }
        String document = BASE + "panels/" + type + ".schema.json";
        List<String> found = new ArrayList<>(violations(document + "#/definitions/Options", panel.path("options"), at + "/options"));
        JsonNode custom = panel.path("fieldConfig").path("defaults").path("custom");
        if (!custom.isMissingNode()) {
            String customAt = at + "/fieldConfig/defaults/custom";
            if (panelTypesWithCustom.contains(type)) {
                found.addAll(violations(document + "#/definitions/FieldConfig", custom, customAt));
            } else if (!custom.isEmpty()) {
                found.add(customAt + ": panel type '" + type + "' has no custom field config");
            }
        }
        return found;
    }

    private static String panelType(Path panelSchema) {
        return panelSchema.getFileName().toString().replace(".schema.json", "");
    }

    private List<String> violations(String location, JsonNode instance, String at) {
        Schema schema = schemas.computeIfAbsent(location, key -> registry.getSchema(SchemaLocation.of(key)));
        List<Error> errors = schema.validate(instance);
        return errors.stream().map(error -> at + error.getInstanceLocation().toString().replaceFirst("^\\$", "")
                + ": " + error.getMessage()).toList();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = GrafanaSchemas.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
