package dev.nightjar.risk.model;

/**
 * Turns the model's log-odds into the 0-100 score of the decision API: {@code score = round(100 q)} with
 * {@code q = sigmoid(slope * logit + intercept)}. The two parameters are chosen so that the review and block
 * thresholds fall exactly at two chosen fraud probabilities: a score at or above the review threshold means
 * the model's probability is at least {@code reviewProbability}, and likewise for blocking. The mapping is
 * monotone, so it changes which payments cross a threshold, never their order (AUC is unchanged).
 *
 * @param slope             multiplies the model's log-odds
 * @param intercept         added after
 * @param reviewScore       the score threshold the review anchor was fitted to
 * @param blockScore        the score threshold the block anchor was fitted to
 * @param reviewProbability the model probability that maps onto the review threshold
 * @param blockProbability  the model probability that maps onto the block threshold
 */
public record ScoreMapping(double slope, double intercept, int reviewScore, int blockScore,
                           double reviewProbability, double blockProbability) {

    public ScoreMapping {
        if (!(slope > 0)) {
            throw new IllegalArgumentException("a score mapping must be increasing");
        }
    }

    /** The identity: {@code score = round(100 p)}. */
    public static ScoreMapping identity(int reviewScore, int blockScore) {
        return new ScoreMapping(1.0, 0.0, reviewScore, blockScore, (reviewScore - 0.5) / 100, (blockScore - 0.5) / 100);
    }

    /**
     * The mapping that puts {@code reviewScore} at probability {@code reviewProbability} and {@code blockScore}
     * at {@code blockProbability}. Scores are rounded, so the anchors are the half points (64.5 for 65).
     */
    public static ScoreMapping through(int reviewScore, double reviewProbability, int blockScore, double blockProbability) {
        if (!(reviewProbability > 0 && reviewProbability < blockProbability && blockProbability < 1)) {
            throw new IllegalArgumentException("need 0 < review probability < block probability < 1");
        }
        double reviewTarget = logit((reviewScore - 0.5) / 100);
        double blockTarget = logit((blockScore - 0.5) / 100);
        double slope = (blockTarget - reviewTarget) / (logit(blockProbability) - logit(reviewProbability));
        double intercept = reviewTarget - slope * logit(reviewProbability);
        return new ScoreMapping(slope, intercept, reviewScore, blockScore, reviewProbability, blockProbability);
    }

    /** The score, 0 to 100, of a payment whose model log-odds are {@code logit}. */
    public int score(double logit) {
        double q = LogisticRegression.sigmoid(slope * logit + intercept);
        return (int) Math.max(0, Math.min(100, Math.round(100 * q)));
    }

    static double logit(double p) {
        return Math.log(p / (1 - p));
    }
}
