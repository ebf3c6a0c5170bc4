package dev.nightjar.deploy.istio;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Istio's decision for one request, read from rendered AuthorizationPolicies: a matching DENY policy refuses; if
 * the workload has ALLOW policies, one of their rules must match; with none, everything is allowed. Paths match
 * as Istio matches them: exact, {@code prefix*}, {@code *suffix}, {@code *} for any, and the path templates
 * {@code {*}} (one segment) and {@code {**}} (the rest). Only what the policies here use is modelled: sources by
 * principal, operations by path.
 */
final class IstioAuthorization {

    private final List<Map<String, Object>> policies;

    IstioAuthorization(List<Map<String, Object>> manifests) {
        this.policies = manifests.stream().filter(m -> "AuthorizationPolicy".equals(m.get("kind"))).toList();
    }

    boolean allows(String workload, String principal, String path) {
        List<Map<String, Object>> selecting = policies.stream().filter(p -> selects(p, workload)).toList();
        for (Map<String, Object> policy : selecting) {
            if ("DENY".equals(spec(policy).get("action")) && anyRuleMatches(policy, principal, path)) {
                return false;
            }
        }
        List<Map<String, Object>> allow = selecting.stream()
                .filter(p -> "ALLOW".equals(spec(p).getOrDefault("action", "ALLOW"))).toList();
        return allow.isEmpty() || allow.stream().anyMatch(p -> anyRuleMatches(p, principal, path));
    }

    private static boolean selects(Map<String, Object> policy, String workload) {
        Map<String, Object> selector = map(spec(policy).get("selector"));
        Map<String, Object> labels = map(selector.get("matchLabels"));
        return workload.equals(labels.get("app.kubernetes.io/name"));
    }

    private static boolean anyRuleMatches(Map<String, Object> policy, String principal, String path) {
        for (Object rule : list(spec(policy).get("rules"))) {
            Map<String, Object> r = map(rule);
            boolean from = r.get("from") == null || list(r.get("from")).stream()
                    .map(source -> map(map(source).get("source")))
                    .anyMatch(source -> strings(source.get("principals")).contains(principal));
            boolean to = r.get("to") == null || list(r.get("to")).stream()
                    .map(operation -> map(map(operation).get("operation")))
                    .anyMatch(operation -> matchesAny(strings(operation.get("paths")), path, true)
                            && !matchesAny(strings(operation.get("notPaths")), path, false));
            if (from && to) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesAny(List<String> patterns, String path, boolean whenNone) {
        return patterns.isEmpty() ? whenNone : patterns.stream().anyMatch(p -> matches(p, path));
    }

    static boolean matches(String pattern, String path) {
        if (pattern.contains("{*}") || pattern.contains("{**}")) {
            return matchesTemplate(pattern.split("/", -1), path.split("/", -1));
        }
        if (pattern.equals("*")) {
            return !path.isEmpty();
        }
        if (pattern.endsWith("*")) {
            return path.startsWith(pattern.substring(0, pattern.length() - 1));
        }
        if (pattern.startsWith("*")) {
            return path.endsWith(pattern.substring(1));
        }
        return pattern.equals(path);
    }

    private static boolean matchesTemplate(String[] pattern, String[] path) {
        for (int i = 0; i < pattern.length; i++) {
            if (pattern[i].equals("{**}")) {
                return path.length > i;
            }
            if (i >= path.length) {
                return false;
            }
            if (pattern[i].equals("{*}") ? path[i].isEmpty() : !pattern[i].equals(path[i])) {
                return false;
            }
        }
        return pattern.length == path.length;
    }

    private static Map<String, Object> spec(Map<String, Object> policy) {
        return map(policy.get("spec"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return value == null ? List.of() : (List<Object>) value;
    }

    private static List<String> strings(Object value) {
        List<String> strings = new ArrayList<>();
        list(value).forEach(v -> strings.add(String.valueOf(v)));
        return strings;
    }
}
