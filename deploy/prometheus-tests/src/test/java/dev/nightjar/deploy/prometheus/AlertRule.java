package dev.nightjar.deploy.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One alerting rule of deploy/prometheus/rules: its name, its severity and its annotations. */
record AlertRule(String name, String severity, String summary, String description, String runbookUrl, Path file) {

    /** Every alerting rule of the rule files, in file and group order. */
    static List<AlertRule> all() {
        return Repository.readEachYamlFile(Repository.RULES, AlertRule::of);
    }

    static List<AlertRule> of(Path file, JsonNode ruleFile) {
        List<AlertRule> alerts = new ArrayList<>();
        for (JsonNode group : ruleFile.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (rule.has("alert")) {
                    JsonNode annotations = rule.path("annotations");
                    alerts.add(new AlertRule(rule.path("alert").asText(), rule.path("labels").path("severity").asText(""),
                            annotations.path("summary").asText(""), annotations.path("description").asText(""),
                            annotations.path("runbook_url").asText(""), file));
                }
            }
        }
        return alerts;
    }

    /** {@code PaymentsStuckPending} is {@code payments-stuck-pending}, {@code TLSCertificate...} {@code tls-certificate-...}. */
    String kebabName() {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2")
                .replaceAll("([A-Z]+)([A-Z][a-z])", "$1-$2")
                .toLowerCase(Locale.ROOT);
    }

    /** The runbook the rule must point at: a path in this repository. */
    String expectedRunbookUrl() {
        return "docs/runbooks/" + kebabName() + ".md";
    }
}
