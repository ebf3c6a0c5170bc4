package dev.nightjar.deploy.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** One rendered Kubernetes object, as the YAML tree Helm produced. */
public record Manifest(String source, JsonNode tree) {

    public String apiVersion() {
        return tree.path("apiVersion").asText("");
    }

    public String kind() {
        return tree.path("kind").asText("");
    }

    public String name() {
        return tree.path("metadata").path("name").asText("");
    }

    public JsonNode spec() {
        return tree.path("spec");
    }

    public boolean is(String kindName) {
        return kind().equals(kindName);
    }

    public Map<String, String> labels() {
        return stringMap(tree.path("metadata").path("labels"));
    }

    /** The pod template of a workload, or a missing node for every other kind. */
    public JsonNode podTemplate() {
        return switch (kind()) {
            case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job" -> spec().path("template");
            case "CronJob" -> spec().path("jobTemplate").path("spec").path("template");
            case "Pod" -> tree;
            default -> MissingNode.getInstance();
        };
    }

    public boolean hasPodTemplate() {
        return !podTemplate().isMissingNode();
    }

    /** The labels the workload's pods carry. */
    public Map<String, String> podLabels() {
        return stringMap(podTemplate().path("metadata").path("labels"));
    }

    public JsonNode podSpec() {
        return podTemplate().path("spec");
    }

    /** {@code Kind/name (source)}: how a violation names the object. */
    public String describe() {
        return kind() + "/" + name() + " (" + source + ")";
    }

    public static Map<String, String> stringMap(JsonNode node) {
        Map<String, String> map = new LinkedHashMap<>();
        node.properties().forEach(entry -> map.put(entry.getKey(), entry.getValue().asText()));
        return map;
    }
}
