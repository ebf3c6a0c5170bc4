package dev.nightjar.transaction.domain;

import dev.nightjar.contracts.contract.CardDetails;
import dev.nightjar.contracts.contract.RiskDecision;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A payment at one moment: an immutable value the state machine turns into the next one. Amounts are
 * minor units of {@code currency}; {@code version} guards concurrent updates.
 */
public record Payment(
        String id,
        String merchantId,
        PaymentState status,
        CaptureMethod captureMethod,
        long amountMinor,
        String currency,
        long amountCapturableMinor,
        long amountCapturedMinor,
        long amountRefundedMinor,
        long amountRefundingMinor,
        String token,
        CardDetails card,
        Risk risk,
        Authorization authorization,
        Failure failure,
        String reference,
        String description,
        Map<String, String> metadata,
        String idempotencyKey,
        InFlight inFlight,
        Instant createdAt,
        Instant updatedAt,
        long version) {

    public Payment {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(merchantId, "merchantId");
        Objects.requireNonNull(status, "status");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        if (amountMinor <= 0) {
            throw new IllegalStateException("payment amount must be positive: " + amountMinor);
        }
        if (amountCapturableMinor < 0 || amountCapturedMinor < 0 || amountRefundedMinor < 0 || amountRefundingMinor < 0) {
            throw new IllegalStateException("payment amounts must not be negative");
        }
        if (amountCapturedMinor + amountCapturableMinor > amountMinor) {
            throw new IllegalStateException("captured plus capturable exceeds the amount");
        }
        if (amountRefundedMinor > amountCapturedMinor) {
            throw new IllegalStateException("refunded exceeds captured");
        }
        if (amountRefundedMinor + amountRefundingMinor > amountCapturedMinor) {
            throw new IllegalStateException("refunds in flight would exceed what was captured");
        }
        if ((inFlight != null) != status.holdsAnOperation()) {
            throw new IllegalStateException("a payment has an operation in flight exactly when it is capturing or canceling");
        }
        if (inFlight != null && status == PaymentState.CAPTURING
                && (inFlight.amountMinor() < 1 || inFlight.amountMinor() > amountCapturableMinor)) {
            throw new IllegalStateException("a capture in flight takes from 1 to the capturable amount");
        }
    }

    /**
     * The capture or cancel a payment has claimed and sent to the acquirer, whose answer is not applied yet:
     * how much it captures (0 for a cancel) and the request that claimed it (a keyed hash of the merchant's
     * Idempotency-Key, or null), so the same request can ask again while any other is refused; and the claim's
     * own id, which auth-service keeps with the attempt it sends for it, so that asking about a claim that was
     * released meanwhile (its attempt failed) can never send a new attempt: only a new claim can.
     */
    public record InFlight(long amountMinor, String requestKey, String claim) {
    }

    /** The risk verdict the payment was admitted under. */
    public record Risk(int score, RiskDecision decision, List<String> reasons, boolean fallbackUsed) {
        public Risk {
            reasons = reasons == null ? List.of() : List.copyOf(reasons);
        }
    }

    /** Where and how the acquirer authorized it. */
    public record Authorization(String acquirer, String networkReference, String authorizationCode) {
    }

    /** Why it was declined or failed. */
    public record Failure(String code, String declineCode, String message) {
    }

    /** The same payment with its risk verdict, before it is first stored. */
    public Payment withRisk(Risk assessed) {
        return new Payment(id, merchantId, status, captureMethod, amountMinor, currency, amountCapturableMinor,
                amountCapturedMinor, amountRefundedMinor, amountRefundingMinor, token, card, assessed, authorization,
                failure, reference, description, metadata, idempotencyKey, inFlight, createdAt, updatedAt, version);
    }

    /** What can still be refunded: captured, less refunded, less refunds in flight. */
    public long refundableMinor() {
        return amountCapturedMinor - amountRefundedMinor - amountRefundingMinor;
    }

    Builder toBuilder() {
        return new Builder(this);
    }

    /** Copy-with for the state machine, so transitions read as what changes. */
    static final class Builder {
        private final Payment from;
        private PaymentState status;
        private long capturable;
        private long captured;
        private long refunded;
        private long refunding;
        private Risk risk;
        private Authorization authorization;
        private Failure failure;
        private InFlight inFlight;
        private Instant updatedAt;

        private Builder(Payment from) {
            this.from = from;
            this.status = from.status;
            this.capturable = from.amountCapturableMinor;
            this.captured = from.amountCapturedMinor;
            this.refunded = from.amountRefundedMinor;
            this.refunding = from.amountRefundingMinor;
            this.risk = from.risk;
            this.authorization = from.authorization;
            this.failure = from.failure;
            this.inFlight = from.inFlight;
            this.updatedAt = from.updatedAt;
        }

        Builder status(PaymentState value) {
            this.status = value;
            return this;
        }

        Builder capturable(long value) {
            this.capturable = value;
            return this;
        }

        Builder captured(long value) {
            this.captured = value;
            return this;
        }

        Builder refunded(long value) {
            this.refunded = value;
            return this;
        }

        Builder refunding(long value) {
            this.refunding = value;
            return this;
        }

        Builder risk(Risk value) {
            this.risk = value;
            return this;
        }

        Builder authorization(Authorization value) {
            this.authorization = value;
            return this;
        }

        Builder failure(Failure value) {
            this.failure = value;
            return this;
        }

        Builder inFlight(InFlight value) {
            this.inFlight = value;
            return this;
        }

        Builder updatedAt(Instant value) {
            this.updatedAt = value;
            return this;
        }

        Payment build() {
            return new Payment(from.id, from.merchantId, status, from.captureMethod, from.amountMinor, from.currency,
                    capturable, captured, refunded, refunding, from.token, from.card, risk, authorization, failure,
                    from.reference, from.description, from.metadata, from.idempotencyKey, inFlight, from.createdAt,
                    updatedAt, from.version + 1);
        }
    }
}
