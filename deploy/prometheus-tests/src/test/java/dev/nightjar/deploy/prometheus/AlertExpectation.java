package dev.nightjar.deploy.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One {@code alert_rule_test} of a promtool test file: the alert it is about, at one evaluation time, and the
 * severities of the alerts it expects to fire (none: it expects the alert silent).
 */
record AlertExpectation(Path file, String test, String alertname, Set<String> firingSeverities) {

    boolean expectsSilence() {
        return firingSeverities.isEmpty();
    }

    /** Every alert_rule_test of the promtool test files. */
    static List<AlertExpectation> all() {
        return Repository.readEachYamlFile(Repository.RULE_TESTS, AlertExpectation::of);
    }

    static List<AlertExpectation> of(Path file, JsonNode testFile) {
        List<AlertExpectation> expectations = new ArrayList<>();
        for (JsonNode test : testFile.path("tests")) {
            for (JsonNode alertTest : test.path("alert_rule_test")) {
                Set<String> severities = new LinkedHashSet<>();
                for (JsonNode alert : alertTest.path("exp_alerts")) {
                    severities.add(alert.path("exp_labels").path("severity").asText(""));
                }
                expectations.add(new AlertExpectation(file, test.path("name").asText(""),
                        alertTest.path("alertname").asText(), Set.copyOf(severities)));
            }
        }
        return expectations;
    }
}
