package dev.nightjar.deploy.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nightjar.deploy.chart.HelmChart;
import dev.nightjar.deploy.chart.Manifest;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * risk-service reaches nothing of settlement-service's (its pods, its database members included): risk's
 * egress is restricted and no egress rule of it can reach a settlement pod; no ingress rule of settlement
 * names risk's pods; and in the mesh no ALLOW policy applying to settlement admits risk's principal while an
 * explicit DENY of risk's principal to settlement exists.
 */
final class RiskSettlementSeparation {

    static final String NAMESPACE = HelmChart.NAMESPACE;

    private RiskSettlementSeparation() {
    }

    static List<String> networkViolations(List<Manifest> manifests) {
        Set<String> violations = new LinkedHashSet<>();
        List<Map<String, String>> riskPods = Pods.podLabelsOf(manifests, Workload.RISK);
        List<Map<String, String>> settlementPods = Pods.podLabelsOf(manifests, Workload.SETTLEMENT);
        if (riskPods.isEmpty() || settlementPods.isEmpty()) {
            return List.of("no pods of risk-service or settlement-service are rendered");
        }
        List<Manifest> policies = manifests.stream().filter(m -> m.is("NetworkPolicy")).toList();
        for (Map<String, String> risk : riskPods) {
            List<Manifest> egressPolicies = policies.stream()
                    .filter(p -> LabelSelectors.matches(p.spec().path("podSelector"), risk))
                    .filter(policy -> NetworkReachability.restricts(policy, "Egress"))
                    .toList();
            if (egressPolicies.isEmpty()) {
                violations.add("risk-service pods " + risk + ": egress is not restricted by any NetworkPolicy, so they reach settlement-service");
            }
            for (Manifest policy : egressPolicies) {
                for (JsonNode rule : policy.spec().path("egress")) {
                    if (peersReachAny(rule.path("to"), settlementPods)) {
                        violations.add(policy.describe() + ": an egress rule lets risk-service reach settlement-service: " + rule);
                    }
                }
            }
        }
        for (Map<String, String> settlement : settlementPods) {
            for (Manifest policy : policies) {
                if (!LabelSelectors.matches(policy.spec().path("podSelector"), settlement)) {
                    continue;
                }
                for (JsonNode rule : policy.spec().path("ingress")) {
                    boolean namesRisk = false;
                    for (JsonNode peer : rule.path("from")) {
                        namesRisk |= peer.has("podSelector")
                                && riskPods.stream().anyMatch(risk -> LabelSelectors.matches(peer.path("podSelector"), risk));
                    }
                    if (namesRisk) {
                        violations.add(policy.describe() + ": an ingress rule of settlement-service admits risk-service: " + rule);
                    }
                }
            }
        }
        return List.copyOf(violations);
    }

    static List<String> meshViolations(List<Manifest> manifests) {
        Set<String> violations = new LinkedHashSet<>();
        String riskPrincipal = Workload.RISK.principal(NAMESPACE);
        List<Map<String, String>> settlementPods = Pods.podLabelsOf(manifests, Workload.SETTLEMENT);
        List<Manifest> policies = manifests.stream().filter(m -> m.is("AuthorizationPolicy")).toList();
        for (Map<String, String> settlement : settlementPods) {
            for (Manifest policy : policies) {
                if (MeshAuthorization.appliesTo(policy, settlement) && MeshAuthorization.action(policy).equals("ALLOW")
                        && MeshAuthorization.anyRuleMatchesSource(policy, riskPrincipal, NAMESPACE)) {
                    violations.add(policy.describe() + ": admits " + riskPrincipal + " to settlement-service");
                }
            }
            boolean explicitDeny = policies.stream()
                    .filter(policy -> MeshAuthorization.action(policy).equals("DENY"))
                    .filter(policy -> MeshAuthorization.appliesTo(policy, settlement))
                    .anyMatch(policy -> MeshAuthorization.someRuleMatchesAllRequestsFrom(policy, riskPrincipal, NAMESPACE));
            if (!explicitDeny) {
                violations.add("settlement-service pods " + settlement + ": no DENY AuthorizationPolicy names " + riskPrincipal);
            }
        }
        if (settlementPods.isEmpty()) {
            violations.add("no pods of settlement-service are rendered");
        }
        return List.copyOf(violations);
    }

    /**
     * Whether an egress rule's peers can reach one of the pods. No peers means every destination; a
     * namespace selector alone means every pod of those namespaces (ours unless it names another one by
     * kubernetes.io/metadata.name); an IP block wider than a /16 may hold pod addresses.
     */
    static boolean peersReachAny(JsonNode peers, List<Map<String, String>> pods) {
        if (peers.isEmpty()) {
            return true;
        }
        for (JsonNode peer : peers) {
            if (peer.has("podSelector")) {
                if (pods.stream().anyMatch(pod -> LabelSelectors.matches(peer.path("podSelector"), pod))
                        && namespaceSelectorMayBeOurs(peer)) {
                    return true;
                }
            } else if (peer.has("namespaceSelector")) {
                if (namespaceSelectorMayBeOurs(peer)) {
                    return true;
                }
            } else if (peer.has("ipBlock") && isWide(peer.path("ipBlock").path("cidr").asText())) {
                return true;
            }
        }
        return false;
    }

    private static boolean namespaceSelectorMayBeOurs(JsonNode peer) {
        if (!peer.has("namespaceSelector")) {
            return true;
        }
        String named = peer.path("namespaceSelector").path("matchLabels").path("kubernetes.io/metadata.name").asText(null);
        return named == null || named.equals(NAMESPACE);
    }

    private static boolean isWide(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            return false;
        }
        int prefix = Integer.parseInt(cidr.substring(slash + 1));
        return cidr.contains(":") ? prefix < 64 : prefix < 16;
    }
}
