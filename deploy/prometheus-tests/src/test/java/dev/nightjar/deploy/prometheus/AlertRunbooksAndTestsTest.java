package dev.nightjar.deploy.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every alert is something an on-call engineer can act on: a page or a ticket, a summary and a description, a
 * runbook in docs/runbooks with the sections they look for, listed in the runbooks' index; and promtool tests
 * that expect it to fire at each of its severities and to stay silent where it should.
 */
class AlertRunbooksAndTestsTest {

    /** The sections every runbook has, in this order. */
    static final List<String> RUNBOOK_SECTIONS = List.of("## What it means", "## Impact", "## Confirm", "## Mitigate",
            "## Escalate");

    private final List<AlertRule> alerts = AlertRule.all();

    @Test
    void everyAlertIsAPageOrATicketWithASummaryAndADescription() {
        assertThat(alerts).as("alerts in %s", Repository.RULES).isNotEmpty();
        assertThat(alerts).allSatisfy(alert -> {
            assertThat(alert.severity()).as("severity of %s", alert.name()).isIn("page", "ticket");
            assertThat(alert.summary()).as("summary of %s", alert.name()).isNotBlank();
            assertThat(alert.description()).as("description of %s", alert.name()).isNotBlank();
        });
    }

    @Test
    void everyAlertsRunbookUrlIsItsRunbookInThisRepositoryAndThatRunbookExists() {
        assertThat(alerts).allSatisfy(alert -> {
            assertThat(alert.runbookUrl()).as("runbook_url of %s", alert.name()).isEqualTo(alert.expectedRunbookUrl());
            assertThat(Repository.ROOT.resolve(alert.runbookUrl())).as("runbook of %s", alert.name()).isRegularFile();
        });
    }

    @Test
    void everyRunbookNamesItsAlertAndHasTheSectionsOnCallLooksFor() {
        for (AlertRule alert : alerts) {
            String runbook = Repository.read(Repository.ROOT.resolve(alert.expectedRunbookUrl()));
            assertThat(runbook.lines().findFirst()).as("title of %s", alert.expectedRunbookUrl()).contains("# " + alert.name());
            List<Integer> positions = RUNBOOK_SECTIONS.stream().map(section -> runbook.indexOf("\n" + section + "\n")).toList();
            assertThat(positions).as("sections %s in %s", RUNBOOK_SECTIONS, alert.expectedRunbookUrl())
                    .doesNotContain(-1).isSorted();
        }
    }

    @Test
    void everyRunbookIsForAnAlertAndTheIndexListsEveryOne() {
        Set<String> runbooksOfAlerts = alerts.stream().map(alert -> Path.of(alert.expectedRunbookUrl()).getFileName().toString())
                .collect(Collectors.toSet());
        List<String> runbooks = Repository.filesEndingWith(Repository.RUNBOOKS, ".md").stream()
                .map(file -> file.getFileName().toString())
                .filter(name -> !name.equals("README.md"))
                .toList();
        String index = Repository.read(Repository.RUNBOOKS.resolve("README.md"));

        assertThat(runbooks).as("runbooks in %s", Repository.RUNBOOKS).containsExactlyInAnyOrderElementsOf(runbooksOfAlerts);
        assertThat(runbooks).allSatisfy(runbook -> assertThat(index).as("docs/runbooks/README.md").contains("](" + runbook + ")"));
    }

    @Test
    void everyAlertIsExpectedToFireAtEachSeverityAndToStaySilentByAPromtoolTest() {
        assertThat(AlertCoverage.gaps(alerts, AlertExpectation.all())).isEmpty();
    }

    @Test
    void aNewAlertWithoutPromtoolTestsIsReported() {
        List<AlertRule> withANewOne = new ArrayList<>(alerts);
        withANewOne.add(new AlertRule("SettlementBatchStuck", "ticket", "summary", "description",
                "docs/runbooks/settlement-batch-stuck.md", Repository.RULES.resolve("alerts.yaml")));

        assertThat(AlertCoverage.gaps(withANewOne, AlertExpectation.all())).containsExactly(
                "SettlementBatchStuck (severity ticket, alerts.yaml): no promtool test expects it to fire",
                "SettlementBatchStuck: no promtool test expects it to stay silent");
    }

    @Test
    void everyPromtoolTestFileLoadsOnlyTheRuleFilesUnderTest() {
        List<Path> testFiles = Repository.yamlFiles(Repository.RULE_TESTS);
        assertThat(testFiles).as("promtool test files in %s", Repository.RULE_TESTS).isNotEmpty();
        for (Path testFile : testFiles) {
            JsonNode ruleFiles = Yaml.read(testFile).path("rule_files");
            assertThat(ruleFiles.size()).as("rule_files of %s", testFile.getFileName()).isPositive();
            for (JsonNode ruleFile : ruleFiles) {
                Path resolved = testFile.getParent().resolve(ruleFile.asText()).normalize();
                assertThat(resolved).as("rule file %s of %s", ruleFile.asText(), testFile.getFileName())
                        .startsWith(Repository.RULES).isRegularFile();
            }
        }
    }
}
