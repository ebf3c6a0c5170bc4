package dev.nightjar.contracts.contract;

import java.util.Map;

/** The payment as merchants see it (API.md): amounts in minor units, times in Unix seconds. */
public record PaymentObject(
        String id,
        String object,
        long amount,
        String currency,
        PaymentStatus status,
        String captureMethod,
        long amountCapturable,
        long amountCaptured,
        long amountRefunded,
        Card card,
        Failure failure,
        Risk risk,
        String reference,
        String description,
        Map<String, String> metadata,
        long created,
        long updated) {

    public record Card(String brand, String last4, int expMonth, int expYear, String fingerprint) {
    }

    public record Failure(String code, String declineCode, String message) {
    }

    public record Risk(int score, RiskDecision decision) {
    }
}
