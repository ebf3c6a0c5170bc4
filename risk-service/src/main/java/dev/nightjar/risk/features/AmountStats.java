package dev.nightjar.risk.features;

/**
 * A merchant's running count, sum and sum of squares of the log amount (in euro terms) in one currency:
 * mergeable by addition, so a batch adds its share in the database and in memory alike. How unusual an
 * amount is comes out as a z-score, shrunk toward a platform-wide prior while the merchant has little
 * history, with a floor on the spread so a merchant that always charges the same amount does not turn every
 * other amount into an extreme.
 *
 * <p>Not thread-safe: {@link FeatureStore} holds the merchant's lock while it reads or writes.
 */
final class AmountStats {

    /** Prior: a typical card payment of about 40 EUR, merchants' typical amounts spread about e^±1.2. */
    static final double PRIOR_MEAN = Math.log1p(40.0);
    static final double PRIOR_VARIANCE = 1.44;
    /** The prior weighs as much as this many observations. */
    static final double PRIOR_WEIGHT = 20.0;
    static final double MIN_DEVIATION = 0.5;

    final String currency;
    private long count;
    private double sum;
    private double sumOfSquares;

    AmountStats(String currency) {
        this.currency = currency;
    }

    void add(long observations, double sumOfLogs, double sumOfSquaredLogs) {
        count += observations;
        sum += sumOfLogs;
        sumOfSquares += sumOfSquaredLogs;
    }

    long count() {
        return count;
    }

    /** How many (shrunk) standard deviations {@code logAmount} lies above this merchant's usual amount. */
    double zScore(double logAmount) {
        return zScore(count, sum, sumOfSquares, logAmount);
    }

    /** The z-score of {@code logAmount} for a merchant with no history: against the prior alone. */
    static double priorZScore(double logAmount) {
        return zScore(0, 0.0, 0.0, logAmount);
    }

    private static double zScore(long count, double sum, double sumOfSquares, double logAmount) {
        double weight = count + PRIOR_WEIGHT;
        double mean = (sum + PRIOR_WEIGHT * PRIOR_MEAN) / weight;
        double secondMoment = (sumOfSquares + PRIOR_WEIGHT * (PRIOR_VARIANCE + PRIOR_MEAN * PRIOR_MEAN)) / weight;
        double deviation = Math.max(MIN_DEVIATION, Math.sqrt(Math.max(0.0, secondMoment - mean * mean)));
        return (logAmount - mean) / deviation;
    }
}
