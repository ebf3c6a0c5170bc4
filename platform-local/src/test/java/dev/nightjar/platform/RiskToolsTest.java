package dev.nightjar.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class RiskToolsTest {

    private final Path repository = Path.of("/repo");

    @Test
    void trainRunsTheTrainerFromTheRiskJarAndWritesTheModelIntoTheSources() {
        List<String> command = RiskTools.command("train", List.of("--seed", "7"), repository);

        assertThat(command).contains("-Dloader.main=" + RiskTools.TRAIN, "/repo/risk-service/target/risk-service-exec.jar",
                RiskTools.LAUNCHER);
        assertThat(command.subList(command.indexOf(RiskTools.LAUNCHER) + 1, command.size())).containsExactly(
                "--seed", "7", "--output", "/repo/risk-service/src/main/resources/dev/nightjar/risk/model.json");
    }

    @Test
    void anOutputGivenByTheCallerIsKept() {
        List<String> command = RiskTools.command("train", List.of("--output", "/tmp/m.json"), repository);

        assertThat(command).endsWith("--output", "/tmp/m.json").doesNotContain("/repo/" + RiskTools.MODEL);
    }

    @Test
    void benchRunsTheBenchmarkAndAnUnknownToolNothing() {
        assertThat(RiskTools.command("bench", List.of(), repository)).contains("-Dloader.main=" + RiskTools.BENCH)
                .last().isEqualTo(RiskTools.LAUNCHER);
        assertThat(RiskTools.command("deploy", List.of(), repository)).isNull();
    }
}
