package dev.nightjar.risk.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScoreMappingTest {

    @Test
    void theThresholdsFallExactlyAtTheChosenProbabilities() {
        ScoreMapping mapping = ScoreMapping.through(65, 0.2, 90, 0.5);

        assertThat(mapping.score(ScoreMapping.logit(0.2 + 1e-9))).isEqualTo(65);
        assertThat(mapping.score(ScoreMapping.logit(0.2 - 1e-6))).isEqualTo(64);
        assertThat(mapping.score(ScoreMapping.logit(0.5 + 1e-9))).isEqualTo(90);
        assertThat(mapping.score(ScoreMapping.logit(0.5 - 1e-6))).isEqualTo(89);
    }

    @Test
    void scoresRiseWithTheProbabilityAndStayWithinZeroToHundred() {
        ScoreMapping mapping = ScoreMapping.through(65, 0.1, 90, 0.4);
        int previous = -1;
        for (double logit = -30; logit <= 30; logit += 0.25) {
            int score = mapping.score(logit);
            assertThat(score).isBetween(0, 100).isGreaterThanOrEqualTo(previous);
            previous = score;
        }
        assertThat(mapping.score(-30)).isZero();
        assertThat(mapping.score(30)).isEqualTo(100);
    }

    @Test
    void theIdentityIsOneHundredTimesTheProbability() {
        assertThat(ScoreMapping.identity(65, 90).score(ScoreMapping.logit(0.42))).isEqualTo(42);
    }
}
