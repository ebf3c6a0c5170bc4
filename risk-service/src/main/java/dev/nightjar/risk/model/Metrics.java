package dev.nightjar.risk.model;

import java.util.Arrays;
import java.util.Comparator;

/** Evaluation of scores against labels: ROC AUC (ties counted half) and confusion counts at a threshold. */
public final class Metrics {

    private Metrics() {
    }

    /**
     * The area under the ROC curve: the probability that a random positive scores above a random negative,
     * a tie counting one half. Computed from the ranks of the positives (Mann-Whitney U), tied scores sharing
     * their mean rank. NaN when either class is absent.
     */
    public static double rocAuc(double[] scores, boolean[] labels) {
        int n = scores.length;
        if (labels.length != n) {
            throw new IllegalArgumentException("need as many labels as scores");
        }
        Integer[] order = sortedIndices(scores, false);
        double positiveRankSum = 0.0;
        long positives = 0;
        int start = 0;
        while (start < n) {
            int end = start;
            while (end + 1 < n && scores[order[end + 1]] == scores[order[start]]) {
                end++;
            }
            double meanRank = (start + end) / 2.0 + 1.0;
            for (int k = start; k <= end; k++) {
                if (labels[order[k]]) {
                    positiveRankSum += meanRank;
                    positives++;
                }
            }
            start = end + 1;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    /** Outcomes of flagging every example whose score is at least the threshold. */
    public record Confusion(int threshold, long truePositives, long falsePositives, long trueNegatives, long falseNegatives) {

        /** Share of flagged examples that are positive; NaN when nothing is flagged. */
        public double precision() {
            long flagged = truePositives + falsePositives;
            return flagged == 0 ? Double.NaN : (double) truePositives / flagged;
        }

        /** Share of positives that are flagged; NaN without positives. */
        public double recall() {
            long positives = truePositives + falseNegatives;
            return positives == 0 ? Double.NaN : (double) truePositives / positives;
        }

        /** Share of negatives that are flagged. */
        public double falsePositiveRate() {
            long negatives = falsePositives + trueNegatives;
            return negatives == 0 ? Double.NaN : (double) falsePositives / negatives;
        }
    }

    public static Confusion confusion(int[] scores, boolean[] labels, int threshold) {
        long tp = 0;
        long fp = 0;
        long tn = 0;
        long fn = 0;
        for (int i = 0; i < scores.length; i++) {
            boolean flagged = scores[i] >= threshold;
            if (labels[i]) {
                if (flagged) {
                    tp++;
                } else {
                    fn++;
                }
            } else if (flagged) {
                fp++;
            } else {
                tn++;
            }
        }
        return new Confusion(threshold, tp, fp, tn, fn);
    }

    /**
     * The lowest probability from which flagging keeps precision at or above {@code targetPrecision}: the
     * most recall that precision allows. Ties are flagged together. If no threshold reaches the target, the
     * highest probability seen.
     */
    public static double probabilityForPrecision(double[] probabilities, boolean[] labels, double targetPrecision) {
        int n = probabilities.length;
        Integer[] order = sortedIndices(probabilities, true);
        double best = n == 0 ? 1.0 : probabilities[order[0]];
        long flagged = 0;
        long positives = 0;
        int start = 0;
        while (start < n) {
            int end = start;
            while (end + 1 < n && probabilities[order[end + 1]] == probabilities[order[start]]) {
                end++;
            }
            for (int k = start; k <= end; k++) {
                flagged++;
                if (labels[order[k]]) {
                    positives++;
                }
            }
            if ((double) positives / flagged >= targetPrecision) {
                best = probabilities[order[start]];
            }
            start = end + 1;
        }
        return best;
    }

    private static Integer[] sortedIndices(double[] values, boolean descending) {
        Integer[] order = new Integer[values.length];
        for (int i = 0; i < values.length; i++) {
            order[i] = i;
        }
        Comparator<Integer> ascending = Comparator.comparingDouble(i -> values[i]);
        Arrays.sort(order, descending ? ascending.reversed() : ascending);
        return order;
    }
}
