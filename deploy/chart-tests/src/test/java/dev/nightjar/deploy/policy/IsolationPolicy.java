package dev.nightjar.deploy.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nightjar.deploy.chart.Manifest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Each service is its own island: its own ServiceAccount, a NetworkPolicy and (with Istio) an
 * AuthorizationPolicy of its own. Services a profile does not deploy are not required; the platform
 * services are required in every profile.
 */
final class IsolationPolicy {

    private IsolationPolicy() {
    }

    /** The services the render deploys, the platform services always among them. */
    static List<Workload> deployed(List<Manifest> manifests) {
        return Arrays.stream(Workload.values())
                .filter(w -> Workload.platformServices().contains(w) || !Pods.serviceWorkloads(manifests, w).isEmpty())
                .toList();
    }

    static List<String> serviceAccountViolations(List<Manifest> manifests, List<Workload> services) {
        List<String> violations = new ArrayList<>();
        for (Workload service : services) {
            List<Manifest> workloads = Pods.serviceWorkloads(manifests, service);
            if (workloads.isEmpty()) {
                violations.add(service.workloadName() + ": no Deployment or StatefulSet labelled " + Workload.NAME_LABEL + "=" + service.workloadName());
            }
            for (Manifest workload : workloads) {
                String account = workload.podSpec().path("serviceAccountName").asText("");
                if (!account.equals(service.identity())) {
                    violations.add(workload.describe() + ": runs as ServiceAccount '" + account + "', not its identity '" + service.identity() + "'");
                }
            }
            boolean accountRendered = manifests.stream().anyMatch(m -> m.is("ServiceAccount") && m.name().equals(service.identity()));
            if (!accountRendered) {
                violations.add(service.workloadName() + ": no ServiceAccount " + service.identity() + " is rendered");
            }
        }
        return violations;
    }

    static List<String> networkPolicyViolations(List<Manifest> manifests, List<Workload> services) {
        List<String> violations = new ArrayList<>();
        List<Manifest> policies = manifests.stream().filter(m -> m.is("NetworkPolicy")).toList();
        for (Workload service : services) {
            for (Manifest workload : Pods.serviceWorkloads(manifests, service)) {
                boolean ownPolicy = policies.stream().anyMatch(policy -> selectsOnly(policy.spec().path("podSelector"), workload.podLabels()));
                if (!ownPolicy) {
                    violations.add(workload.describe() + ": no NetworkPolicy of its own selects its pods");
                }
            }
        }
        return violations;
    }

    static List<String> authorizationPolicyViolations(List<Manifest> manifests, List<Workload> services) {
        List<String> violations = new ArrayList<>();
        List<Manifest> policies = manifests.stream().filter(m -> m.is("AuthorizationPolicy")).toList();
        for (Workload service : services) {
            for (Manifest workload : Pods.serviceWorkloads(manifests, service)) {
                boolean ownPolicy = policies.stream()
                        .filter(policy -> MeshAuthorization.action(policy).equals("ALLOW"))
                        .anyMatch(policy -> selectsOnly(policy.spec().path("selector"), workload.podLabels()));
                if (!ownPolicy) {
                    violations.add(workload.describe() + ": no ALLOW AuthorizationPolicy of its own selects its pods");
                }
            }
        }
        return violations;
    }

    /** A selector that names labels (not the catch-all {@code {}}) and selects these pods. */
    private static boolean selectsOnly(JsonNode selector, Map<String, String> podLabels) {
        boolean namesSomething = !selector.path("matchLabels").isEmpty() || !selector.path("matchExpressions").isEmpty();
        return namesSomething && LabelSelectors.matches(selector, podLabels);
    }
}
