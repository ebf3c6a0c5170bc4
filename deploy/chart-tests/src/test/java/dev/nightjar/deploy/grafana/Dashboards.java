package dev.nightjar.deploy.grafana;

import dev.nightjar.deploy.chart.HelmChart;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The Grafana dashboards in deploy/grafana, each file read once and parsed strictly. */
public final class Dashboards {

    /** Duplicate keys are an error: Grafana would keep one of them silently. */
    static final JsonMapper JSON = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private Dashboards() {
    }

    /** One dashboard file: its name, its exact text and its parsed tree. */
    public record Dashboard(String fileName, String text, JsonNode tree) {

        public String uid() {
            return tree.path("uid").asString("");
        }

        /** The panels, rows' nested panels included. */
        public List<JsonNode> panels() {
            List<JsonNode> panels = new ArrayList<>();
            for (JsonNode panel : tree.path("panels")) {
                panels.add(panel);
                panel.path("panels").forEach(panels::add);
            }
            return panels;
        }

        @Override
        public String toString() {
            return fileName;
        }
    }

    /** deploy/grafana, found beside the chart the build points at. */
    public static Path directory() {
        return HelmChart.nightjar().directory().resolve("../../grafana").normalize();
    }

    /** The chart's copies, which Helm ships in the ConfigMaps. */
    public static Path chartCopies() {
        return HelmChart.nightjar().directory().resolve("files/grafana");
    }

    /** Every deploy/grafana/*.json, sorted by name; at least one, or the test setup is broken. */
    public static List<Dashboard> all() {
        List<Path> files = jsonFiles(directory());
        if (files.isEmpty()) {
            throw new IllegalStateException("no dashboards in " + directory());
        }
        return files.stream().map(Dashboards::read).toList();
    }

    static List<Path> jsonFiles(Path directory) {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(p -> p.getFileName().toString().endsWith(".json") && Files.isRegularFile(p))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Dashboard read(Path file) {
        try {
            String text = Files.readString(file);
            return new Dashboard(file.getFileName().toString(), text, JSON.readTree(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw new IllegalStateException(file + " is not valid JSON: " + e.getMessage(), e);
        }
    }
}
