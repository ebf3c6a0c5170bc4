package dev.nightjar.risk.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The trained model as it is stored ({@code model.json}): what it computes (features, standardization,
 * weights, score mapping) and how it came about (seed, data, training options, evaluation), so a model file
 * can be reproduced and judged on its own.
 *
 * @param formatVersion bumped when this layout changes incompatibly
 * @param version       names these weights: the seed and a digest of the numbers
 * @param trainedAt     when training ran
 * @param seed          seeds both the data generator and the training shuffles
 * @param features      feature names, in weight order; must match the service's features exactly
 * @param means         per-feature mean of the training rows
 * @param scales        per-feature standard deviation of the training rows (1 for a constant feature)
 * @param weights       logistic-regression weights on the standardized features
 * @param bias          the intercept on the standardized scale
 */
public record ModelFile(
        int formatVersion,
        String version,
        Instant trainedAt,
        long seed,
        String algorithm,
        List<String> features,
        double[] means,
        double[] scales,
        double[] weights,
        double bias,
        ScoreMapping scoreMapping,
        LogisticRegression.Options training,
        DataDescription data,
        Evaluation evaluation) {

    public static final int FORMAT_VERSION = 1;

    /** The synthetic data the model was trained and judged on. */
    public record DataDescription(String generator, Instant start, int days, int merchants, int burnInDays,
                                  double fraudLabelNoise, double legitimateLabelNoise, long payments, long fraudulent,
                                  String split) {
    }

    /** Flagging at one score threshold on the holdout, with the counts behind the ratios. */
    public record AtThreshold(int score, long truePositives, long falsePositives, long trueNegatives,
                              long falseNegatives, double precision, double recall) {

        static AtThreshold of(Metrics.Confusion confusion) {
            return new AtThreshold(confusion.threshold(), confusion.truePositives(), confusion.falsePositives(),
                    confusion.trueNegatives(), confusion.falseNegatives(), confusion.precision(), confusion.recall());
        }
    }

    /** How the model did on the holdout, the latest part of the data in time, never seen in training. */
    public record Evaluation(long trainingExamples, long calibrationExamples, long holdoutExamples,
                             long holdoutPositives, double trainingLoss, double auc, AtThreshold atReview,
                             AtThreshold atBlock, Map<String, Double> recallAtReviewByPattern) {
    }
}
