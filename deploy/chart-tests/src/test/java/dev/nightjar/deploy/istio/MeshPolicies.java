package dev.nightjar.deploy.istio;

import dev.nightjar.common.security.CallGraph;
import dev.nightjar.common.security.Identities;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The mesh's half of the call graph: for each workload, the Istio AuthorizationPolicy rules that admit exactly
 * the callers {@link CallGraph} admits, in the same first-match order. Rendered twice from this one model: the
 * chart's data file ({@code files/call-graph.yaml}, turned into policies by {@code templates/istio/}) and the
 * plain manifests in {@code deploy/istio/} for the namespace {@code nightjar}.
 *
 * <p>Istio ORs the rules of ALLOW policies, where the services take the first rule whose pattern matches. So each
 * rule excludes ({@code notPaths}) the paths of the same service's earlier rules: the gateway's
 * {@code /internal/v1/**} must not admit it to the vault's detokenize path, which an earlier rule keeps for
 * auth-service. Spring's {@code {variable}} segment becomes Istio's {@code {*}} (path templates, Istio 1.22 and
 * later) and a trailing {@code /**} a prefix match, with the bare prefix listed beside it.
 */
public final class MeshPolicies {

    /** The gateway's merchant API, outside {@code /internal/}: only the ingress gateway brings it traffic. */
    public static final String INGRESS = "@ingress";
    /** The workloads that run one identity's code: the acquirer simulator runs twice. */
    public static final Map<String, List<String>> WORKLOADS = workloads();

    /** One ALLOW rule: these callers (service account names, or {@link #INGRESS}) on these paths, minus those. */
    public record Rule(List<String> callers, List<String> paths, List<String> notPaths) {
    }

    private MeshPolicies() {
    }

    private static Map<String, List<String>> workloads() {
        Map<String, List<String>> workloads = new LinkedHashMap<>();
        for (String identity : Identities.SERVICES) {
            workloads.put(identity, identity.equals(Identities.ACQUIRER_SIMULATOR)
                    ? List.of("acquirer-a", "acquirer-b") : List.of(identity));
        }
        return workloads;
    }

    /** The ALLOW rules of one identity's workloads, in the call graph's order. */
    public static List<Rule> rulesOf(String identity) {
        List<Rule> rules = new ArrayList<>();
        List<String> earlier = new ArrayList<>();
        for (CallGraph.Rule rule : CallGraph.rulesFor(identity)) {
            List<String> paths = istioPaths(rule.pathPattern());
            rules.add(new Rule(List.copyOf(new TreeSet<>(rule.callers())), paths, List.copyOf(earlier)));
            earlier.addAll(paths);
        }
        if (identity.equals(Identities.GATEWAY)) {
            // Not guarded by the call graph in the service (its protected prefix is /internal/): merchants' requests.
            rules.add(new Rule(List.of(INGRESS), List.of("/*"), List.of("/internal", "/internal/*")));
        }
        return rules;
    }

    /** A Spring path pattern of the call graph as Istio paths matching the same requests. */
    static List<String> istioPaths(String springPattern) {
        String pattern = springPattern.replaceAll("\\{[A-Za-z0-9_]+}", "{*}");
        if (pattern.equals("/**")) {
            return List.of("/*");
        }
        if (pattern.endsWith("/**")) {
            String prefix = pattern.substring(0, pattern.length() - 3);
            requirePlain(prefix, springPattern);
            return List.of(prefix, prefix + "/*");
        }
        requirePlain(pattern, springPattern);
        return List.of(pattern);
    }

    private static void requirePlain(String pattern, String original) {
        if (pattern.replace("{*}", "").contains("*") || pattern.contains("?")) {
            throw new IllegalArgumentException("no Istio form for the call graph's pattern " + original);
        }
    }

    /** The chart's data file: every workload's rules, read by {@code templates/istio/authorization-policies.yaml}. */
    public static String chartData() {
        StringBuilder yaml = new StringBuilder();
        yaml.append("# Generated from dev.nightjar.common.security.CallGraph by MeshPoliciesTest (deploy/chart-tests):\n");
        yaml.append("# do not edit; run ./mvnw -pl deploy/chart-tests -am verify -Dnightjar.regenerate=true after changing the graph.\n");
        yaml.append("workloads:\n");
        WORKLOADS.forEach((identity, workloads) -> {
            for (String workload : workloads) {
                yaml.append("  ").append(workload).append(":\n");
                yaml.append("    rules:\n");
                for (Rule rule : rulesOf(identity)) {
                    yaml.append("      - callers: ").append(flow(rule.callers())).append('\n');
                    yaml.append("        paths: ").append(flow(rule.paths())).append('\n');
                    yaml.append("        notPaths: ").append(flow(rule.notPaths())).append('\n');
                }
            }
        });
        return yaml.toString();
    }

    /**
     * The plain manifests for one namespace: STRICT mutual TLS for the namespace, an ALLOW policy per workload,
     * and the explicit DENY of risk-service at settlement-service the architecture asks for.
     */
    public static String manifests(String namespace, String trustDomain, String ingressPrincipal) {
        StringBuilder yaml = new StringBuilder();
        yaml.append("# Generated from dev.nightjar.common.security.CallGraph by MeshPoliciesTest (deploy/chart-tests):\n");
        yaml.append("# do not edit; run ./mvnw -pl deploy/chart-tests -am verify -Dnightjar.regenerate=true after changing the graph.\n");
        yaml.append("apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: default\n")
                .append("  namespace: ").append(namespace).append("\nspec:\n  mtls:\n    mode: STRICT\n");
        WORKLOADS.forEach((identity, workloads) -> {
            for (String workload : workloads) {
                yaml.append("---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n")
                        .append("  name: ").append(workload).append('\n')
                        .append("  namespace: ").append(namespace).append('\n')
                        .append("spec:\n  selector:\n    matchLabels:\n")
                        .append("      app.kubernetes.io/name: ").append(workload).append('\n')
                        .append("  action: ALLOW\n  rules:\n");
                for (Rule rule : rulesOf(identity)) {
                    List<String> principals = rule.callers().stream()
                            .map(caller -> caller.equals(INGRESS) ? ingressPrincipal
                                    : principal(trustDomain, namespace, caller))
                            .toList();
                    yaml.append("    - from:\n        - source:\n            principals: ").append(flow(principals))
                            .append('\n').append("      to:\n        - operation:\n            paths: ")
                            .append(flow(rule.paths())).append('\n');
                    if (!rule.notPaths().isEmpty()) {
                        yaml.append("            notPaths: ").append(flow(rule.notPaths())).append('\n');
                    }
                }
            }
        });
        yaml.append("---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n")
                .append("  name: settlement-service-deny-risk-service\n")
                .append("  namespace: ").append(namespace).append('\n')
                .append("spec:\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: ").append(Identities.SETTLEMENT)
                .append("\n  action: DENY\n  rules:\n    - from:\n        - source:\n            principals: ")
                .append(flow(List.of(principal(trustDomain, namespace, Identities.RISK)))).append('\n');
        return yaml.toString();
    }

    /** The SPIFFE-style principal Istio gives a service account's workloads. */
    public static String principal(String trustDomain, String namespace, String serviceAccount) {
        return trustDomain + "/ns/" + namespace + "/sa/" + serviceAccount;
    }

    private static String flow(List<String> values) {
        StringBuilder flow = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            flow.append(i == 0 ? "" : ", ").append('"').append(values.get(i)).append('"');
        }
        return flow.append(']').toString();
    }
}
