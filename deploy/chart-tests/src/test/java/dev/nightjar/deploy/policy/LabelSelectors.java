package dev.nightjar.deploy.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nightjar.deploy.chart.Manifest;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Kubernetes label-selector semantics (matchLabels and matchExpressions), for policies over the render. */
final class LabelSelectors {

    private LabelSelectors() {
    }

    /** Whether a present selector matches the labels; an empty selector ({@code {}}) matches everything. */
    static boolean matches(JsonNode selector, Map<String, String> labels) {
        if (selector == null || selector.isMissingNode() || selector.isNull()) {
            return false;
        }
        for (Map.Entry<String, String> required : Manifest.stringMap(selector.path("matchLabels")).entrySet()) {
            if (!required.getValue().equals(labels.get(required.getKey()))) {
                return false;
            }
        }
        for (JsonNode expression : selector.path("matchExpressions")) {
            if (!expressionMatches(expression, labels)) {
                return false;
            }
        }
        return true;
    }

    private static boolean expressionMatches(JsonNode expression, Map<String, String> labels) {
        String key = expression.path("key").asText();
        Set<String> values = new HashSet<>();
        expression.path("values").forEach(value -> values.add(value.asText()));
        String actual = labels.get(key);
        return switch (expression.path("operator").asText()) {
            case "In" -> actual != null && values.contains(actual);
            case "NotIn" -> actual == null || !values.contains(actual);
            case "Exists" -> actual != null;
            case "DoesNotExist" -> actual == null;
            default -> throw new IllegalArgumentException("unknown selector operator in " + expression);
        };
    }
}
