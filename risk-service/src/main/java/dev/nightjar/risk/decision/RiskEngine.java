package dev.nightjar.risk.decision;

import dev.nightjar.contracts.contract.CardDetails;
import dev.nightjar.contracts.contract.RiskContract.Decision;
import dev.nightjar.contracts.contract.RiskContract.DecisionRequest;
import dev.nightjar.contracts.contract.RiskDecision;
import dev.nightjar.risk.features.FeatureStore;
import dev.nightjar.risk.features.Features;
import dev.nightjar.risk.model.RiskModel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Scores a payment from 0 to 100 and turns the score into a decision by the configured thresholds. Test-card
 * rules come first and force their outcome; otherwise the model scores the payment's features as they stand,
 * and hard velocity rules may raise the score to the review or block threshold. The reasons name what drove
 * the score up: a rule that fired, then the features that added most to the model's log-odds.
 *
 * <p>Runs inside the merchant's request: no I/O, one small array and the answer allocated per decision.
 */
public final class RiskEngine {

    /** A feature is a reason when it adds at least this much to the log-odds of an average payment. */
    static final double REASON_MIN_CONTRIBUTION = 0.5;
    static final int MAX_REASONS = 3;

    private final RiskProperties properties;
    private final RiskModel model;
    private final FeatureStore features;
    private final LongSupplier clockMillis;
    // Rule thresholds on the features' ln(1 + n) scale, so rules read the vector the model reads.
    private final double cardPerMinuteReview;
    private final double cardPerHourBlock;
    private final double cardDeclinesPerHourReview;
    private final double ipCardsPerHourBlock;

    public RiskEngine(RiskProperties properties, RiskModel model, FeatureStore features, LongSupplier clockMillis) {
        this.properties = properties;
        this.model = model;
        this.features = features;
        this.clockMillis = clockMillis;
        RiskProperties.Rules rules = properties.rules();
        this.cardPerMinuteReview = Math.log1p(rules.cardPaymentsPerMinuteReview());
        this.cardPerHourBlock = Math.log1p(rules.cardPaymentsPerHourBlock());
        this.cardDeclinesPerHourReview = Math.log1p(rules.cardDeclinesPerHourReview());
        this.ipCardsPerHourBlock = Math.log1p(rules.ipCardsPerHourBlock());
    }

    public Decision decide(DecisionRequest request) {
        return decide(request, clockMillis.getAsLong());
    }

    /** The decision for {@code request} on the features as of {@code nowMillis}. */
    public Decision decide(DecisionRequest request, long nowMillis) {
        Decision forced = testCardDecision(request.card());
        if (forced != null) {
            return forced;
        }
        double[] x = new double[Features.COUNT];
        Features.extract(features, request, nowMillis, velocityExempt(request.card()), x);
        int score = model.score(x);
        String rule = null;
        if (x[Features.VELOCITY_CARD_1H] >= cardPerHourBlock) {
            rule = "velocity_card_1h";
            score = Math.max(score, properties.blockThreshold());
        } else if (x[Features.IP_DISTINCT_CARDS_1H] >= ipCardsPerHourBlock) {
            rule = "card_testing";
            score = Math.max(score, properties.blockThreshold());
        } else if (x[Features.VELOCITY_CARD_1M] >= cardPerMinuteReview) {
            rule = "velocity_card_1m";
            score = Math.max(score, properties.reviewThreshold());
        } else if (x[Features.DECLINES_CARD_1H] >= cardDeclinesPerHourReview) {
            rule = "declines_card_1h";
            score = Math.max(score, properties.reviewThreshold());
        }
        return new Decision(score, decisionFor(score), reasons(x, rule), false);
    }

    /** The features that pushed the score up most, after the rule that fired (if one did). */
    List<String> reasons(double[] x, String rule) {
        List<String> reasons = new ArrayList<>(MAX_REASONS);
        if (rule != null) {
            reasons.add(rule);
        }
        long used = 0;
        while (reasons.size() < MAX_REASONS) {
            int best = -1;
            double bestContribution = REASON_MIN_CONTRIBUTION;
            for (int j = 0; j < Features.COUNT; j++) {
                double contribution = model.contribution(j, x);
                if ((used & (1L << j)) == 0 && contribution >= bestContribution) {
                    best = j;
                    bestContribution = contribution;
                }
            }
            if (best < 0) {
                break;
            }
            used |= 1L << best;
            String name = Features.NAMES.get(best);
            if (!name.equals(rule)) {
                reasons.add(name);
            }
        }
        return List.copyOf(reasons);
    }

    private Decision testCardDecision(CardDetails card) {
        if (card == null) {
            return null;
        }
        int score = -1;
        List<String> reasons = null;
        for (RiskProperties.TestCardRule rule : properties.testCards()) {
            if (rule.bin().equals(card.bin()) && rule.last4().equals(card.last4())) {
                score = Math.max(score, rule.score());
                reasons = reasons == null ? new ArrayList<>(2) : reasons;
                reasons.add(rule.reason());
            }
        }
        if (reasons == null) {
            return null;
        }
        score = Math.min(100, Math.max(0, score));
        return new Decision(score, decisionFor(score), List.copyOf(reasons), false);
    }

    /** In test mode, allow-listed test cards may be used as often as tests and benchmarks like. */
    boolean velocityExempt(CardDetails card) {
        if (!properties.testMode() || card == null) {
            return false;
        }
        for (RiskProperties.CardMatch exempt : properties.velocityExemptCards()) {
            if (exempt.bin().equals(card.bin()) && exempt.last4().equals(card.last4())) {
                return true;
            }
        }
        return false;
    }

    RiskDecision decisionFor(int score) {
        if (score >= properties.blockThreshold()) {
            return RiskDecision.BLOCK;
        }
        if (score >= properties.reviewThreshold()) {
            return RiskDecision.REVIEW;
        }
        return RiskDecision.ALLOW;
    }
}
