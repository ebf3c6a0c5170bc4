package dev.nightjar.deploy.policy;

import dev.nightjar.deploy.chart.Manifest;
import java.util.ArrayList;
import java.util.List;

/**
 * A workload that can run more than one replica (spec.replicas, or an autoscaler's maxReplicas) has a
 * PodDisruptionBudget whose selector selects its pods, so a node drain cannot take every replica at once.
 */
final class DisruptionBudgetPolicy {

    private DisruptionBudgetPolicy() {
    }

    static List<String> violations(List<Manifest> manifests) {
        List<Manifest> budgets = manifests.stream().filter(m -> m.is("PodDisruptionBudget")).toList();
        List<String> violations = new ArrayList<>();
        for (Manifest workload : manifests) {
            if (!(workload.is("Deployment") || workload.is("StatefulSet"))) {
                continue;
            }
            int maxReplicas = maxReplicas(workload, manifests);
            boolean covered = budgets.stream()
                    .anyMatch(budget -> LabelSelectors.matches(budget.spec().path("selector"), workload.podLabels()));
            if (maxReplicas > 1 && !covered) {
                violations.add(workload.describe() + " runs up to " + maxReplicas + " replicas but no PodDisruptionBudget selects its pods");
            }
        }
        return violations;
    }

    private static int maxReplicas(Manifest workload, List<Manifest> manifests) {
        int replicas = workload.spec().path("replicas").asInt(1);
        for (Manifest autoscaler : manifests) {
            boolean targetsWorkload = autoscaler.is("HorizontalPodAutoscaler")
                    && autoscaler.spec().path("scaleTargetRef").path("kind").asText().equals(workload.kind())
                    && autoscaler.spec().path("scaleTargetRef").path("name").asText().equals(workload.name());
            if (targetsWorkload) {
                replicas = Math.max(replicas, autoscaler.spec().path("maxReplicas").asInt(1));
            }
        }
        return replicas;
    }
}
