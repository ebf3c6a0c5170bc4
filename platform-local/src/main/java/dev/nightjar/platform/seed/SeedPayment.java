package dev.nightjar.platform.seed;

import dev.nightjar.contracts.event.EventType;
import java.time.Instant;
import java.util.List;

/**
 * One generated payment as transaction-service holds it at the end of its life so far (its row), with the
 * refunds it had and the events it published on the way, which the ledger and risk-service consumed.
 * Amounts are minor units of the merchant's currency; {@code status} is transaction-service's state name.
 */
public record SeedPayment(String id, Instant createdAt, SeedMerchant merchant, String status, boolean manualCapture,
                          long amountMinor, long capturableMinor, long capturedMinor, long refundedMinor,
                          String token, Card card, Risk risk, Authorization authorization, Failure failure,
                          String reference, String idempotencyKey, List<Event> events, List<SeedRefund> refunds,
                          Instant updatedAt, long version) {

    public SeedPayment {
        events = List.copyOf(events);
        refunds = List.copyOf(refunds);
        if (capturedMinor + capturableMinor > amountMinor || refundedMinor > capturedMinor || amountMinor <= 0) {
            throw new IllegalStateException("payment " + id + " holds amounts transaction-service would refuse");
        }
        if (updatedAt.isBefore(createdAt)) {
            throw new IllegalStateException("payment " + id + " was updated before it was created");
        }
    }

    public String currency() {
        return merchant.currency();
    }

    /** The card as the vault describes it: never its number. */
    public record Card(String brand, String bin, String last4, int expMonth, int expYear, String fingerprint,
                       String country) {
    }

    /** risk-service's decision on the payment, with the request context its decision log keeps. */
    public record Risk(int score, String decision, List<String> reasons, Instant decidedAt, String customerIp,
                       String ipCountry) {
        public Risk {
            reasons = List.copyOf(reasons);
        }
    }

    public record Authorization(String acquirer, String networkReference, String authorizationCode) {
    }

    public record Failure(String code, String declineCode, String message) {
    }

    /**
     * An event transaction-service published about the payment: its capturable amount after it and the amount
     * it moved (captured or refunded), as on {@code payment_events}.
     */
    public record Event(EventType type, String id, Instant at, long capturableMinor, long changeAmountMinor,
                       String refundId) {
    }
}
