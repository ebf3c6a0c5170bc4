package dev.nightjar.risk.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void aucOfPerfectlySeparatedScoresIsOne() {
        assertThat(Metrics.rocAuc(new double[] {0.1, 0.2, 0.8, 0.9}, new boolean[] {false, false, true, true}))
                .isEqualTo(1.0);
    }

    @Test
    void aucOfReversedScoresIsZero() {
        assertThat(Metrics.rocAuc(new double[] {0.9, 0.8, 0.2, 0.1}, new boolean[] {false, false, true, true}))
                .isEqualTo(0.0);
    }

    @Test
    void aucCountsEveryPositiveNegativePair() {
        // pairs (positive > negative): 0.35>0.1 yes, 0.35>0.4 no, 0.8>0.1 yes, 0.8>0.4 yes: 3 of 4
        assertThat(Metrics.rocAuc(new double[] {0.1, 0.4, 0.35, 0.8}, new boolean[] {false, false, true, true}))
                .isEqualTo(0.75);
    }

    @Test
    void aTiedPairCountsOneHalf() {
        // pairs: 0.5 vs 0.5 tie (1/2), 0.5 > 0.2 (1), 0.9 > 0.5 (1), 0.9 > 0.2 (1): 3.5 of 4
        assertThat(Metrics.rocAuc(new double[] {0.5, 0.2, 0.5, 0.9}, new boolean[] {false, false, true, true}))
                .isEqualTo(0.875);
        assertThat(Metrics.rocAuc(new double[] {0.3, 0.3, 0.3}, new boolean[] {true, false, false})).isEqualTo(0.5);
    }

    @Test
    void aucWithoutBothClassesIsUndefined() {
        assertThat(Metrics.rocAuc(new double[] {0.1, 0.2}, new boolean[] {true, true})).isNaN();
    }

    @Test
    void confusionFlagsScoresAtOrAboveTheThreshold() {
        Metrics.Confusion confusion = Metrics.confusion(new int[] {10, 65, 70, 90, 64}, new boolean[] {false, true, false, true, true}, 65);

        assertThat(confusion.truePositives()).isEqualTo(2);
        assertThat(confusion.falsePositives()).isEqualTo(1);
        assertThat(confusion.trueNegatives()).isEqualTo(1);
        assertThat(confusion.falseNegatives()).isEqualTo(1);
        assertThat(confusion.precision()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(confusion.recall()).isCloseTo(2.0 / 3, within(1e-12));
    }

    @Test
    void theProbabilityForAPrecisionIsTheLowestThatKeepsIt() {
        double[] p = {0.9, 0.8, 0.7, 0.6, 0.5, 0.4};
        boolean[] y = {true, true, false, true, false, false};

        // from 0.6 down: 3 of 4 flagged are positive (0.75); from 0.5: 3 of 5 (0.6)
        assertThat(Metrics.probabilityForPrecision(p, y, 0.75)).isEqualTo(0.6);
        assertThat(Metrics.probabilityForPrecision(p, y, 1.0)).isEqualTo(0.8);
        assertThat(Metrics.probabilityForPrecision(p, y, 0.5)).isEqualTo(0.4);
    }
}
