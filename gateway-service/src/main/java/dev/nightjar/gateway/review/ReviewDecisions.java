package dev.nightjar.gateway.review;

/**
 * Records reviewers' decisions on held payments, each once transaction-service has carried it out (a refused
 * decision is in the audit log, which has every request, but not here).
 */
public final class ReviewDecisions {

    private final ReviewDecisionRepository decisions;

    public ReviewDecisions(ReviewDecisionRepository decisions) {
        this.decisions = decisions;
    }

    /** {@code decision} is the API's word for it, {@code approve} or {@code reject}; {@code clientId} the API client that sent it. */
    public void record(String merchantId, String paymentId, String decision, String reviewer, String note,
                       String clientId) {
        decisions.save(new ReviewDecision(merchantId, paymentId, ReviewVerdict.of(decision), reviewer, note, clientId));
    }
}
