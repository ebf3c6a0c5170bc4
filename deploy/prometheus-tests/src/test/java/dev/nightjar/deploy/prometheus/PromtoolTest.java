package dev.nightjar.deploy.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * promtool, as Debian 12 ships it with Prometheus 2.42, accepts every rule file of deploy/prometheus/rules and
 * passes every unit test of deploy/prometheus/tests; and it does fail on a broken rule or a wrong expectation.
 * The files run concurrently, one per core (src/test/resources/junit-platform.properties).
 */
class PromtoolTest {

    static Stream<Named<Path>> ruleFiles() {
        return named(Repository.yamlFiles(Repository.RULES));
    }

    static Stream<Named<Path>> testFiles() {
        return named(Repository.yamlFiles(Repository.RULE_TESTS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ruleFiles")
    @Execution(ExecutionMode.CONCURRENT)
    void promtoolChecksTheRuleFileWithoutAnError(Path ruleFile) {
        assertSucceeded(Promtool.checkRules(ruleFile));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("testFiles")
    @Execution(ExecutionMode.CONCURRENT)
    void everyPromtoolUnitTestInTheFilePasses(Path testFile) {
        assertSucceeded(Promtool.testRules(testFile));
    }

    @Test
    void promtoolRejectsARuleFileWithAnExpressionThatDoesNotParse(@TempDir Path directory) throws IOException {
        Path broken = Files.writeString(directory.resolve("broken.yaml"), """
                groups:
                  - name: broken
                    rules:
                      - alert: Broken
                        expr: sum(rate(http_server_requests_seconds_count[5m]) > 1
                """);

        Promtool.Result result = Promtool.checkRules(broken);

        assertThat(result.exitCode()).as(result::describe).isNotZero();
        assertThat(result.output()).contains("parse error");
    }

    @Test
    void aPromtoolUnitTestExpectingAnAlertThatDoesNotFireFails(@TempDir Path directory) throws IOException {
        Path wrong = Files.writeString(directory.resolve("wrong.yaml"), """
                rule_files:
                  - %s
                evaluation_interval: 1m
                tests:
                  - interval: 1m
                    input_series:
                      - series: 'nightjar_payments_awaiting_acquirer_oldest_seconds{service="transaction-service"}'
                        values: '0x10'
                    alert_rule_test:
                      - eval_time: 10m
                        alertname: PaymentsStuckPending
                        exp_alerts:
                          - exp_labels: {severity: page, service: transaction-service}
                """.formatted(Repository.RULES.resolve("alerts.yaml")));

        Promtool.Result result = Promtool.testRules(wrong);

        assertThat(result.exitCode()).as(result::describe).isNotZero();
        assertThat(result.output()).contains("FAILED", "PaymentsStuckPending");
    }

    @Test
    void theInstallerDoesNothingWhenPromtoolIsThere() {
        Promtool.executable();

        Promtool.Result again = Promtool.run(Duration.ofMinutes(1), List.of("bash", Repository.PACKAGES_SCRIPT.toString()));

        assertThat(again.exitCode()).as(again::describe).isZero();
        assertThat(again.output()).as(again::describe).isEmpty();
    }

    private static Stream<Named<Path>> named(List<Path> files) {
        return files.stream().map(file -> Named.of(file.getFileName().toString(), file));
    }

    private static void assertSucceeded(Promtool.Result result) {
        assertThat(result.exitCode()).as(result::describe).isZero();
        assertThat(result.output()).as(result::describe).contains("SUCCESS");
    }
}
