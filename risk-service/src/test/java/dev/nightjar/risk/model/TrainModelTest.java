package dev.nightjar.risk.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

class TrainModelTest {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void trainingIsReproducibleForASeedAndBeatsChanceOnTheHoldout() {
        TrainModel.Settings small = new TrainModel.Settings(5, 8, 40, 0.5, 0.85, null);

        RiskModel first = TrainModel.train(small, QUIET);
        RiskModel second = TrainModel.train(small, QUIET);

        assertThat(second.file().weights()).isEqualTo(first.file().weights());
        assertThat(second.version()).isEqualTo(first.version());
        assertThat(first.file().evaluation().auc()).isGreaterThan(0.75);
        assertThat(first.file().evaluation().atReview().precision()).isGreaterThan(0.2);
    }

    @Test
    void theCommittedModelIsTheOneTheDefaultSettingsTrain() {
        RiskModel committed = RiskModel.fromClasspath();
        RiskModel retrained = TrainModel.train(TrainModel.Settings.defaults(), QUIET);

        assertThat(retrained.version()).isEqualTo(committed.version());
        assertThat(retrained.file().weights()).isEqualTo(committed.file().weights());
    }
}
