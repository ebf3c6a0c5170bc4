package dev.nightjar.deploy.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nightjar.deploy.chart.Manifest;
import java.util.List;
import java.util.Map;

/**
 * Whether the rendered NetworkPolicies let one workload's pods open a connection to another's: the caller's egress
 * (unrestricted, or a rule whose peers can reach the callee) and the callee's ingress (unrestricted, or a rule
 * whose peers include the caller's pods). Ports are not looked at.
 */
final class NetworkReachability {

    private NetworkReachability() {
    }

    static boolean reaches(List<Manifest> manifests, Workload from, Workload to) {
        List<Map<String, String>> callers = Pods.podLabelsOf(manifests, from);
        List<Map<String, String>> callees = Pods.podLabelsOf(manifests, to);
        List<Manifest> policies = manifests.stream().filter(m -> m.is("NetworkPolicy")).toList();
        return callers.stream().anyMatch(caller -> egressReaches(policies, caller, callees)
                && callees.stream().anyMatch(callee -> ingressAdmits(policies, callee, caller)));
    }

    private static boolean egressReaches(List<Manifest> policies, Map<String, String> caller,
                                         List<Map<String, String>> callees) {
        List<Manifest> restricting = policies.stream()
                .filter(p -> LabelSelectors.matches(p.spec().path("podSelector"), caller))
                .filter(policy -> restricts(policy, "Egress"))
                .toList();
        return restricting.isEmpty() || restricting.stream().anyMatch(policy -> {
            for (JsonNode rule : policy.spec().path("egress")) {
                if (RiskSettlementSeparation.peersReachAny(rule.path("to"), callees)) {
                    return true;
                }
            }
            return false;
        });
    }

    private static boolean ingressAdmits(List<Manifest> policies, Map<String, String> callee, Map<String, String> caller) {
        List<Manifest> restricting = policies.stream()
                .filter(p -> LabelSelectors.matches(p.spec().path("podSelector"), callee))
                .filter(policy -> restricts(policy, "Ingress"))
                .toList();
        return restricting.isEmpty() || restricting.stream().anyMatch(policy -> {
            for (JsonNode rule : policy.spec().path("ingress")) {
                if (RiskSettlementSeparation.peersReachAny(rule.path("from"), List.of(caller))) {
                    return true;
                }
            }
            return false;
        });
    }

    /**
     * Whether a policy restricts this direction ({@code Ingress} or {@code Egress}). Kubernetes: without
     * policyTypes, a policy restricts ingress always and egress only if it has egress rules.
     */
    static boolean restricts(Manifest policy, String type) {
        JsonNode types = policy.spec().path("policyTypes");
        if (types.isMissingNode() || types.isNull()) {
            return type.equals("Ingress") || policy.spec().has("egress");
        }
        for (JsonNode declared : types) {
            if (declared.asText().equals(type)) {
                return true;
            }
        }
        return false;
    }
}
