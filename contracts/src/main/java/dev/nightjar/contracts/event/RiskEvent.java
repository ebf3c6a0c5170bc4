package dev.nightjar.contracts.event;

import java.util.List;

/** A risk score, review flag or reviewer decision for a payment, on {@code risk_events}. */
public record RiskEvent(
        String paymentId,
        String merchantId,
        int score,
        dev.nightjar.contracts.contract.RiskDecision decision,
        List<String> reasons,
        boolean fallbackUsed) {
}
