package dev.nightjar.forecaster.model;

import java.util.Arrays;
import java.util.Comparator;
import java.util.function.ToDoubleFunction;

/** Nelder-Mead's simplex search for a minimum of a function of a few unbounded variables. */
final class NelderMead {

    private static final double REFLECTION = 1.0;
    private static final double EXPANSION = 2.0;
    private static final double CONTRACTION = 0.5;
    private static final double SHRINK = 0.5;

    private NelderMead() {
    }

    /** The best point found from {@code start} within {@code maxEvaluations}, or once the simplex' values agree to {@code tolerance}. */
    static double[] minimise(ToDoubleFunction<double[]> function, double[] start, double initialStep,
                             int maxEvaluations, double tolerance) {
        int n = start.length;
        double[][] points = new double[n + 1][];
        double[] values = new double[n + 1];
        points[0] = start.clone();
        for (int i = 0; i < n; i++) {
            points[i + 1] = start.clone();
            points[i + 1][i] += initialStep;
        }
        int evaluations = 0;
        for (int i = 0; i <= n; i++) {
            values[i] = function.applyAsDouble(points[i]);
            evaluations++;
        }
        Integer[] order = new Integer[n + 1];
        while (evaluations < maxEvaluations) {
            for (int i = 0; i <= n; i++) {
                order[i] = i;
            }
            double[] snapshot = values;
            Arrays.sort(order, Comparator.comparingDouble(i -> snapshot[i]));
            double[][] sortedPoints = new double[n + 1][];
            double[] sortedValues = new double[n + 1];
            for (int i = 0; i <= n; i++) {
                sortedPoints[i] = points[order[i]];
                sortedValues[i] = values[order[i]];
            }
            points = sortedPoints;
            values = sortedValues;
            if (Math.abs(values[n] - values[0]) <= tolerance * (Math.abs(values[0]) + 1e-12)) {
                break;
            }
            double[] centroid = new double[n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    centroid[j] += points[i][j] / n;
                }
            }
            double[] reflected = along(centroid, points[n], -REFLECTION);
            double reflectedValue = function.applyAsDouble(reflected);
            evaluations++;
            if (reflectedValue < values[0]) {
                double[] expanded = along(centroid, points[n], -EXPANSION);
                double expandedValue = function.applyAsDouble(expanded);
                evaluations++;
                boolean expandedBetter = expandedValue < reflectedValue;
                points[n] = expandedBetter ? expanded : reflected;
                values[n] = expandedBetter ? expandedValue : reflectedValue;
            } else if (reflectedValue < values[n - 1]) {
                points[n] = reflected;
                values[n] = reflectedValue;
            } else {
                double[] contracted = along(centroid, points[n], CONTRACTION);
                double contractedValue = function.applyAsDouble(contracted);
                evaluations++;
                if (contractedValue < values[n]) {
                    points[n] = contracted;
                    values[n] = contractedValue;
                } else {
                    for (int i = 1; i <= n; i++) {
                        points[i] = along(points[0], points[i], SHRINK);
                        values[i] = function.applyAsDouble(points[i]);
                        evaluations++;
                    }
                }
            }
        }
        int best = 0;
        for (int i = 1; i <= n; i++) {
            best = values[i] < values[best] ? i : best;
        }
        return points[best];
    }

    /** {@code from + factor * (towards - from)}. */
    private static double[] along(double[] from, double[] towards, double factor) {
        double[] point = new double[from.length];
        for (int i = 0; i < from.length; i++) {
            point[i] = from[i] + factor * (towards[i] - from[i]);
        }
        return point;
    }
}
