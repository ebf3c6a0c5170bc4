package dev.nightjar.risk.model;

import java.util.SplittableRandom;

/**
 * Logistic regression fitted by mini-batch stochastic gradient descent with momentum on standardized
 * features, with an L2 penalty on the weights (never the bias). Deterministic for a given seed: one
 * thread, and every shuffle drawn from a {@link SplittableRandom} seeded with it.
 */
public final class LogisticRegression {

    /**
     * @param l2           penalty on the squared weights (on the standardized scale)
     * @param learningRate step size of the first epoch; epoch e uses {@code learningRate / sqrt(1 + e)}
     * @param epochs       passes over the data
     * @param batchSize    examples per gradient step
     * @param momentum     share of the previous step carried into the next (0 for plain SGD)
     * @param seed         seeds the shuffles
     */
    public record Options(double l2, double learningRate, int epochs, int batchSize, double momentum, long seed) {
        public Options {
            if (l2 < 0 || learningRate <= 0 || epochs < 1 || batchSize < 1 || momentum < 0 || momentum >= 1) {
                throw new IllegalArgumentException("invalid training options");
            }
        }

        public static Options defaults(long seed) {
            return new Options(1e-4, 0.05, 30, 256, 0.9, seed);
        }
    }

    /** A fitted model on the standardized scale, with the standardization that goes with it. */
    public record Fitted(double[] means, double[] scales, double[] weights, double bias, double trainingLoss) {
    }

    private LogisticRegression() {
    }

    public static Fitted fit(double[][] rows, boolean[] labels, Options options) {
        int n = rows.length;
        if (n == 0 || labels.length != n) {
            throw new IllegalArgumentException("need as many labels as rows, and at least one row");
        }
        int d = rows[0].length;
        double[] means = new double[d];
        double[] scales = new double[d];
        standardization(rows, means, scales);
        double[] x = new double[n * d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i * d + j] = (rows[i][j] - means[j]) / scales[j];
            }
        }
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = labels[i] ? 1.0 : 0.0;
        }

        double[] weights = new double[d];
        double[] velocity = new double[d];
        double[] gradient = new double[d];
        double bias = 0.0;
        double biasVelocity = 0.0;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(options.seed());
        for (int epoch = 0; epoch < options.epochs(); epoch++) {
            shuffle(order, random);
            double rate = options.learningRate() / Math.sqrt(1.0 + epoch);
            for (int start = 0; start < n; start += options.batchSize()) {
                int end = Math.min(n, start + options.batchSize());
                java.util.Arrays.fill(gradient, 0.0);
                double biasGradient = 0.0;
                for (int k = start; k < end; k++) {
                    int row = order[k] * d;
                    double z = bias;
                    for (int j = 0; j < d; j++) {
                        z += weights[j] * x[row + j];
                    }
                    double error = sigmoid(z) - y[order[k]];
                    for (int j = 0; j < d; j++) {
                        gradient[j] += error * x[row + j];
                    }
                    biasGradient += error;
                }
                double size = end - start;
                for (int j = 0; j < d; j++) {
                    velocity[j] = options.momentum() * velocity[j] - rate * (gradient[j] / size + options.l2() * weights[j]);
                    weights[j] += velocity[j];
                }
                biasVelocity = options.momentum() * biasVelocity - rate * biasGradient / size;
                bias += biasVelocity;
            }
        }
        return new Fitted(means, scales, weights, bias, loss(x, y, d, weights, bias, options.l2()));
    }

    /** Mean log-loss plus the L2 penalty, on the standardized rows. */
    private static double loss(double[] x, double[] y, int d, double[] weights, double bias, double l2) {
        int n = y.length;
        double total = 0.0;
        for (int i = 0; i < n; i++) {
            double z = bias;
            for (int j = 0; j < d; j++) {
                z += weights[j] * x[i * d + j];
            }
            // log(1 + e^z) - y z, computed without overflow
            total += Math.max(z, 0.0) + StrictMath.log1p(StrictMath.exp(-Math.abs(z))) - y[i] * z;
        }
        double penalty = 0.0;
        for (double w : weights) {
            penalty += w * w;
        }
        return total / n + 0.5 * l2 * penalty;
    }

    private static void standardization(double[][] rows, double[] means, double[] scales) {
        int n = rows.length;
        int d = means.length;
        for (double[] row : rows) {
            if (row.length != d) {
                throw new IllegalArgumentException("every row needs " + d + " features");
            }
            for (int j = 0; j < d; j++) {
                means[j] += row[j];
            }
        }
        for (int j = 0; j < d; j++) {
            means[j] /= n;
        }
        for (double[] row : rows) {
            for (int j = 0; j < d; j++) {
                double delta = row[j] - means[j];
                scales[j] += delta * delta;
            }
        }
        for (int j = 0; j < d; j++) {
            double deviation = Math.sqrt(scales[j] / n);
            // A constant feature carries no information; a scale of 1 keeps it harmless.
            scales[j] = deviation > 1e-12 ? deviation : 1.0;
        }
    }

    private static void shuffle(int[] order, SplittableRandom random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
    }

    static double sigmoid(double z) {
        return z >= 0 ? 1.0 / (1.0 + StrictMath.exp(-z)) : StrictMath.exp(z) / (1.0 + StrictMath.exp(z));
    }
}
