package dev.nightjar.deploy.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nightjar.deploy.chart.Manifest;
import java.util.Map;

/** Istio AuthorizationPolicy semantics, enough to decide whether a policy applies to a pod and admits a principal. */
final class MeshAuthorization {

    private MeshAuthorization() {
    }

    static String action(Manifest policy) {
        return policy.spec().path("action").asText("ALLOW");
    }

    /** A policy without a selector applies to every workload of its namespace. */
    static boolean appliesTo(Manifest policy, Map<String, String> podLabels) {
        JsonNode selector = policy.spec().path("selector");
        return selector.isMissingNode() || selector.isNull() || LabelSelectors.matches(selector, podLabels);
    }

    /** Whether some rule of the policy matches requests from this principal in this namespace (any path, any method). */
    static boolean anyRuleMatchesSource(Manifest policy, String principal, String namespace) {
        for (JsonNode rule : policy.spec().path("rules")) {
            if (ruleMatchesSource(rule, principal, namespace)) {
                return true;
            }
        }
        return false;
    }

    /** Whether some rule matches every request from this principal: no operation or condition narrows it. */
    static boolean someRuleMatchesAllRequestsFrom(Manifest policy, String principal, String namespace) {
        for (JsonNode rule : policy.spec().path("rules")) {
            boolean unconditional = rule.path("to").isEmpty() && rule.path("when").isEmpty();
            if (unconditional && !rule.path("from").isEmpty() && ruleMatchesSource(rule, principal, namespace)) {
                return true;
            }
        }
        return false;
    }

    private static boolean ruleMatchesSource(JsonNode rule, String principal, String namespace) {
        JsonNode from = rule.path("from");
        if (from.isEmpty()) {
            return true;
        }
        for (JsonNode entry : from) {
            if (sourceMatches(entry.path("source"), principal, namespace)) {
                return true;
            }
        }
        return false;
    }

    /**
     * All the source's fields must match. IP blocks are taken to match (a pod's address can be in them);
     * request principals (end-user JWTs) only when they are a wildcard.
     */
    private static boolean sourceMatches(JsonNode source, String principal, String namespace) {
        return (!source.has("principals") || anyMatches(source.path("principals"), principal))
                && (!source.has("notPrincipals") || !anyMatches(source.path("notPrincipals"), principal))
                && (!source.has("namespaces") || anyMatches(source.path("namespaces"), namespace))
                && (!source.has("notNamespaces") || !anyMatches(source.path("notNamespaces"), namespace))
                && (!source.has("requestPrincipals") || anyMatches(source.path("requestPrincipals"), "any-end-user"));
    }

    private static boolean anyMatches(JsonNode patterns, String value) {
        for (JsonNode pattern : patterns) {
            if (matches(pattern.asText(), value)) {
                return true;
            }
        }
        return false;
    }

    /** Istio string match: exact, {@code *}, a prefix ({@code abc*}) or a suffix ({@code *abc}). */
    static boolean matches(String pattern, String value) {
        if (pattern.equals("*")) {
            return true;
        }
        if (pattern.endsWith("*")) {
            return value.startsWith(pattern.substring(0, pattern.length() - 1));
        }
        if (pattern.startsWith("*")) {
            return value.endsWith(pattern.substring(1));
        }
        return pattern.equals(value);
    }
}
