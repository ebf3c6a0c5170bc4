package dev.nightjar.risk.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.risk.features.Features;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RiskModelTest {

    private static ModelFile file(List<String> features, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int d = features.size();
        double[] means = new double[d];
        double[] scales = new double[d];
        double[] weights = new double[d];
        for (int j = 0; j < d; j++) {
            means[j] = random.nextDouble() * 3;
            scales[j] = 0.1 + random.nextDouble();
            weights[j] = random.nextDouble() * 2 - 1;
        }
        return new ModelFile(ModelFile.FORMAT_VERSION, "test", Instant.parse("2026-01-01T00:00:00Z"), seed, "test",
                features, means, scales, weights, -4.0 + random.nextDouble(), ScoreMapping.through(65, 0.17, 90, 0.53),
                LogisticRegression.Options.defaults(seed), null, null);
    }

    @Test
    void aModelReadBackFromItsJsonScoresEveryPaymentIdentically() {
        RiskModel model = new RiskModel(file(Features.NAMES, 1));
        RiskModel copy = RiskModel.fromJson(model.toJson());

        SplittableRandom random = new SplittableRandom(2);
        for (int i = 0; i < 10_000; i++) {
            double[] x = new double[Features.COUNT];
            for (int j = 0; j < x.length; j++) {
                x[j] = random.nextDouble() * 5;
            }
            assertThat(copy.logit(x)).isEqualTo(model.logit(x));
            assertThat(copy.score(x)).isEqualTo(model.score(x));
        }
        assertThat(copy.file().scoreMapping()).isEqualTo(model.file().scoreMapping());
    }

    @Test
    void foldingTheStandardizationIntoTheWeightsKeepsTheLogOdds() {
        ModelFile file = file(Features.NAMES, 3);
        RiskModel model = new RiskModel(file);
        double[] x = new double[Features.COUNT];
        java.util.Arrays.fill(x, 1.5);
        double z = file.bias();
        for (int j = 0; j < x.length; j++) {
            z += file.weights()[j] * (x[j] - file.means()[j]) / file.scales()[j];
        }
        assertThat(model.logit(x)).isCloseTo(z, org.assertj.core.api.Assertions.within(1e-9));
    }

    @Test
    void aModelTrainedForOtherFeaturesIsRefused() {
        List<String> other = new ArrayList<>(Features.NAMES);
        other.set(0, "something_else");

        assertThatThrownBy(() -> new RiskModel(file(other, 4))).hasMessageContaining("trained for features");
    }

    @Test
    void theCommittedModelLoadsAndWasJudgedOnAHoldout() {
        RiskModel model = RiskModel.fromClasspath();

        assertThat(model.file().features()).isEqualTo(Features.NAMES);
        assertThat(model.file().evaluation().auc()).isGreaterThan(0.8);
        assertThat(model.file().evaluation().holdoutPositives()).isPositive();
        assertThat(model.file().scoreMapping().reviewScore()).isEqualTo(65);
    }
}
