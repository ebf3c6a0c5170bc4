package dev.nightjar.deploy.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nightjar.deploy.chart.Manifest;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Every container, init containers included, is bounded (cpu and memory requests and limits) and locked
 * down: non-root, read-only root filesystem, no privilege escalation, every capability dropped, the
 * runtime's default seccomp profile. Strimzi node pools, whose pods the operator creates, must be bounded too.
 */
final class ContainerPolicy {

    private static final List<String> RESOURCE_FIELDS = List.of("requests/cpu", "requests/memory", "limits/cpu", "limits/memory");
    /** Kubernetes' quantity grammar (the typed model keeps any string, so the schema check cannot see a bad one). */
    private static final Pattern QUANTITY = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+|[numkMGTPE]|[KMGTPE]i)?");

    private ContainerPolicy() {
    }

    static List<String> violations(List<Manifest> manifests) {
        List<String> violations = new ArrayList<>();
        for (Manifest manifest : manifests) {
            if (manifest.hasPodTemplate()) {
                JsonNode podSecurity = manifest.podSpec().path("securityContext");
                for (JsonNode container : Pods.allContainers(manifest)) {
                    String where = manifest.describe() + " container " + container.path("name").asText();
                    checkResources(where, container.path("resources"), violations);
                    checkSecurity(where, container.path("securityContext"), podSecurity, violations);
                }
            }
            if (manifest.is("KafkaNodePool")) {
                checkResources(manifest.describe(), manifest.spec().path("resources"), violations);
            }
        }
        return violations;
    }

    private static void checkResources(String where, JsonNode resources, List<String> violations) {
        for (String field : RESOURCE_FIELDS) {
            JsonNode value = resources.at("/" + field);
            if (value.isMissingNode() || value.isNull() || value.asText().isBlank()) {
                violations.add(where + ": no resources." + field.replace('/', '.'));
            } else if (!QUANTITY.matcher(value.asText()).matches()) {
                violations.add(where + ": resources." + field.replace('/', '.') + " " + value.asText() + " is not a quantity");
            }
        }
    }

    private static void checkSecurity(String where, JsonNode container, JsonNode pod, List<String> violations) {
        JsonNode runAsNonRoot = container.has("runAsNonRoot") ? container.path("runAsNonRoot") : pod.path("runAsNonRoot");
        if (!runAsNonRoot.asBoolean(false) || !runAsNonRoot.isBoolean()) {
            violations.add(where + ": runAsNonRoot is not true");
        }
        JsonNode runAsUser = container.has("runAsUser") ? container.path("runAsUser") : pod.path("runAsUser");
        if (runAsUser.isNumber() && runAsUser.asLong() == 0) {
            violations.add(where + ": runAsUser is 0 (root)");
        }
        if (!isTrue(container.path("readOnlyRootFilesystem"))) {
            violations.add(where + ": readOnlyRootFilesystem is not true");
        }
        if (!isFalse(container.path("allowPrivilegeEscalation"))) {
            violations.add(where + ": allowPrivilegeEscalation is not false");
        }
        if (isTrue(container.path("privileged"))) {
            violations.add(where + ": privileged");
        }
        boolean dropsAll = false;
        for (JsonNode dropped : container.path("capabilities").path("drop")) {
            dropsAll |= dropped.asText().equals("ALL");
        }
        if (!dropsAll) {
            violations.add(where + ": capabilities.drop does not contain ALL");
        }
        if (!container.path("capabilities").path("add").isEmpty()) {
            violations.add(where + ": capabilities.add " + container.path("capabilities").path("add"));
        }
        JsonNode seccomp = container.has("seccompProfile") ? container.path("seccompProfile") : pod.path("seccompProfile");
        if (!seccomp.path("type").asText().equals("RuntimeDefault")) {
            violations.add(where + ": seccompProfile.type is not RuntimeDefault");
        }
    }

    private static boolean isTrue(JsonNode node) {
        return node.isBoolean() && node.booleanValue();
    }

    private static boolean isFalse(JsonNode node) {
        return node.isBoolean() && !node.booleanValue();
    }
}
