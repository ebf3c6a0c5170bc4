package dev.nightjar.risk.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LogisticRegressionTest {

    /** Two Gaussian clouds, two standard deviations apart on each of three informative features, plus noise features. */
    private static double[][] rows(int n, long seed, boolean[] labels) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] rows = new double[n][5];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextDouble() < 0.3;
            double shift = labels[i] ? 2.0 : 0.0;
            for (int j = 0; j < 5; j++) {
                double gaussian = Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
                rows[i][j] = (j < 3 ? shift : 0.0) + gaussian * (j == 0 ? 100 : 1); // feature 0 on another scale
            }
        }
        return rows;
    }

    private static double[] probabilities(LogisticRegression.Fitted fitted, double[][] rows) {
        double[] p = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            double z = fitted.bias();
            for (int j = 0; j < rows[i].length; j++) {
                z += fitted.weights()[j] * (rows[i][j] - fitted.means()[j]) / fitted.scales()[j];
            }
            p[i] = LogisticRegression.sigmoid(z);
        }
        return p;
    }

    @Test
    void separableDataIsLearnedToAnAucAboveNinetyFivePercentOnFreshData() {
        boolean[] labels = new boolean[5000];
        double[][] train = rows(5000, 1, labels);
        LogisticRegression.Fitted fitted = LogisticRegression.fit(train, labels, LogisticRegression.Options.defaults(7));

        boolean[] testLabels = new boolean[5000];
        double[][] test = rows(5000, 2, testLabels);
        assertThat(Metrics.rocAuc(probabilities(fitted, test), testLabels)).isGreaterThan(0.95);
        assertThat(fitted.weights()[1]).isPositive();
        assertThat(Math.abs(fitted.weights()[4])).as("a noise feature").isLessThan(0.2);
    }

    @Test
    void theSameSeedFitsTheSameWeightsToTheBit() {
        boolean[] labels = new boolean[2000];
        double[][] rows = rows(2000, 3, labels);

        LogisticRegression.Fitted first = LogisticRegression.fit(rows, labels, LogisticRegression.Options.defaults(11));
        LogisticRegression.Fitted second = LogisticRegression.fit(rows, labels, LogisticRegression.Options.defaults(11));
        LogisticRegression.Fitted other = LogisticRegression.fit(rows, labels, LogisticRegression.Options.defaults(12));

        assertThat(second.weights()).isEqualTo(first.weights());
        assertThat(second.bias()).isEqualTo(first.bias());
        assertThat(other.weights()).isNotEqualTo(first.weights());
    }

    @Test
    void l2ShrinksTheWeights() {
        boolean[] labels = new boolean[2000];
        double[][] rows = rows(2000, 4, labels);
        LogisticRegression.Options light = LogisticRegression.Options.defaults(5);
        LogisticRegression.Options heavy = new LogisticRegression.Options(0.5, light.learningRate(), light.epochs(),
                light.batchSize(), light.momentum(), light.seed());

        double lightNorm = norm(LogisticRegression.fit(rows, labels, light).weights());
        double heavyNorm = norm(LogisticRegression.fit(rows, labels, heavy).weights());
        assertThat(heavyNorm).isLessThan(lightNorm / 2);
    }

    private static double norm(double[] weights) {
        double sum = 0;
        for (double w : weights) {
            sum += w * w;
        }
        return Math.sqrt(sum);
    }
}
