package dev.nightjar.risk.decision;

import dev.nightjar.common.contract.RiskContract;
import dev.nightjar.common.contract.RiskContract.Decision;
import dev.nightjar.common.contract.RiskContract.DecisionRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * Scores a payment from 0 to 100 and turns the score into a decision by the configured thresholds.
 * Pure and allocation-light: it runs inside the merchant's request, within the 50 ms budget.
 */
public final class RiskEngine {

    private final RiskProperties properties;

    public RiskEngine(RiskProperties properties) {
        this.properties = properties;
    }

    public Decision decide(DecisionRequest request) {
        int score = 0;
        List<String> reasons = new ArrayList<>(2);
        if (request.card() != null) {
            for (RiskProperties.TestCardRule rule : properties.testCards()) {
                if (rule.bin().equals(request.card().bin()) && rule.last4().equals(request.card().last4())) {
                    score = Math.max(score, rule.score());
                    reasons.add(rule.reason());
                }
            }
        }
        score = Math.min(100, Math.max(0, score));
        return new Decision(score, decisionFor(score), List.copyOf(reasons), false);
    }

    String decisionFor(int score) {
        if (score >= properties.blockThreshold()) {
            return RiskContract.BLOCK;
        }
        if (score >= properties.reviewThreshold()) {
            return RiskContract.REVIEW;
        }
        return RiskContract.ALLOW;
    }
}
