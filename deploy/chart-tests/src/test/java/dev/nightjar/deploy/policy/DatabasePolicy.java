package dev.nightjar.deploy.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nightjar.deploy.chart.Manifest;
import dev.nightjar.deploy.chart.ManifestDocuments;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PostgreSQL never loses a committed payment on failover: every Patroni cluster runs synchronous
 * replication, and every service connects with a multi-host JDBC URL that follows the primary.
 */
final class DatabasePolicy {

    private static final Pattern JDBC_URL = Pattern.compile("jdbc:postgresql://[^\\s\"'<>]+");

    private DatabasePolicy() {
    }

    static List<Manifest> patroniClusters(List<Manifest> manifests) {
        return manifests.stream().filter(Pods::isPatroni).toList();
    }

    static List<String> synchronousModeViolations(List<Manifest> manifests) {
        List<String> violations = new ArrayList<>();
        for (Manifest cluster : patroniClusters(manifests)) {
            boolean synchronous = configurationTexts(cluster, manifests).stream().anyMatch(DatabasePolicy::setsSynchronousMode);
            if (!synchronous) {
                violations.add(cluster.describe() + ": no 'synchronous_mode: true' in its Patroni configuration "
                        + "(ConfigMaps it mounts or loads, its command and arguments)");
            }
        }
        return violations;
    }

    /** Every JDBC URL in ConfigMaps and container environments. */
    static List<String> jdbcUrls(List<Manifest> manifests) {
        List<String> texts = new ArrayList<>();
        for (Manifest manifest : manifests) {
            if (manifest.is("ConfigMap")) {
                manifest.tree().path("data").forEach(value -> texts.add(value.asText()));
            }
            if (manifest.hasPodTemplate()) {
                for (JsonNode container : Pods.allContainers(manifest)) {
                    container.path("env").forEach(env -> texts.add(env.path("value").asText("")));
                    container.path("args").forEach(arg -> texts.add(arg.asText()));
                }
            }
        }
        Set<String> urls = new LinkedHashSet<>();
        for (String text : texts) {
            Matcher matcher = JDBC_URL.matcher(text);
            while (matcher.find()) {
                urls.add(matcher.group());
            }
        }
        return List.copyOf(urls);
    }

    static List<String> jdbcUrlViolations(List<Manifest> manifests) {
        return jdbcUrls(manifests).stream().map(DatabasePolicy::jdbcUrlViolation).flatMap(Optional::stream).toList();
    }

    static Optional<String> jdbcUrlViolation(String url) {
        String afterScheme = url.substring("jdbc:postgresql://".length());
        int endOfHosts = indexOfAny(afterScheme, '/', '?');
        String hosts = endOfHosts < 0 ? afterScheme : afterScheme.substring(0, endOfHosts);
        int query = afterScheme.indexOf('?');
        List<String> parameters = query < 0 ? List.of() : List.of(afterScheme.substring(query + 1).split("&"));
        if (hosts.split(",").length < 2) {
            return Optional.of(url + ": one host; a failover would strand the service");
        }
        if (!parameters.contains("targetServerType=primary")) {
            return Optional.of(url + ": no targetServerType=primary; the driver could write to a replica");
        }
        return Optional.empty();
    }

    private static int indexOfAny(String text, char first, char second) {
        int a = text.indexOf(first);
        int b = text.indexOf(second);
        return a < 0 ? b : b < 0 ? a : Math.min(a, b);
    }

    /** The ConfigMaps the pods mount, load as environment or read keys from, and the containers' command lines. */
    private static List<String> configurationTexts(Manifest cluster, List<Manifest> manifests) {
        Set<String> configMapNames = new LinkedHashSet<>();
        JsonNode podSpec = cluster.podSpec();
        for (JsonNode volume : podSpec.path("volumes")) {
            addText(configMapNames, volume.path("configMap").path("name"));
            for (JsonNode source : volume.path("projected").path("sources")) {
                addText(configMapNames, source.path("configMap").path("name"));
            }
        }
        List<String> texts = new ArrayList<>();
        for (JsonNode container : Pods.allContainers(cluster)) {
            container.path("envFrom").forEach(from -> addText(configMapNames, from.path("configMapRef").path("name")));
            container.path("env").forEach(env -> addText(configMapNames, env.path("valueFrom").path("configMapKeyRef").path("name")));
            StringBuilder commandLine = new StringBuilder();
            container.path("command").forEach(part -> commandLine.append(part.asText()).append('\n'));
            container.path("args").forEach(part -> commandLine.append(part.asText()).append('\n'));
            texts.add(commandLine.toString());
        }
        manifests.stream()
                .filter(m -> m.is("ConfigMap") && configMapNames.contains(m.name()))
                .forEach(configMap -> configMap.tree().path("data").forEach(value -> texts.add(value.asText())));
        return texts;
    }

    private static void addText(Set<String> names, JsonNode name) {
        if (name.isTextual()) {
            names.add(name.asText());
        }
    }

    /** A YAML document anywhere in the text (Patroni's own file, or a heredoc) that sets synchronous_mode to true. */
    static boolean setsSynchronousMode(String text) {
        try {
            JsonNode tree = ManifestDocuments.yaml().readTree(text);
            if (tree != null && containsTrueSynchronousMode(tree)) {
                return true;
            }
        } catch (java.io.IOException | RuntimeException notYaml) {
            // Not a YAML document by itself (a script): fall back to the line.
        }
        return Pattern.compile("(?m)^\\s*synchronous_mode:\\s*[\"']?(true|on)[\"']?\\s*$").matcher(text).find();
    }

    private static boolean containsTrueSynchronousMode(JsonNode node) {
        if (node.isObject()) {
            JsonNode mode = node.path("synchronous_mode");
            if (mode.isBoolean() ? mode.booleanValue() : mode.asText().equals("true") || mode.asText().equals("on")) {
                return true;
            }
            for (JsonNode child : node) {
                if (containsTrueSynchronousMode(child)) {
                    return true;
                }
            }
        }
        if (node.isArray()) {
            for (JsonNode child : node) {
                if (containsTrueSynchronousMode(child)) {
                    return true;
                }
            }
        }
        return false;
    }
}
