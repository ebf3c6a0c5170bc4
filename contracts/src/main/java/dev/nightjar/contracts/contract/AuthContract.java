package dev.nightjar.contracts.contract;

/**
 * auth-service's internal API: every money operation at an acquirer. Each is recorded before the acquirer
 * is called and is unique per subject (the payment, or the refund), so a repeated request re-sends the same
 * reference and never acts twice.
 */
public final class AuthContract {

    public static final String AUTHORIZATIONS = "/internal/v1/authorizations";
    public static final String CAPTURES = "/internal/v1/captures";
    public static final String VOIDS = "/internal/v1/voids";
    public static final String REFUNDS = "/internal/v1/refunds";

    private AuthContract() {
    }

    public record AuthorizeRequest(String paymentId, String merchantId, String token, long amountMinor,
                                   String currency, boolean capture) {
    }

    public record AuthorizeResponse(AcquirerOutcome outcome, String declineCode, String acquirer, String networkReference,
                                    String authorizationCode, boolean captured) {
    }

    /**
     * Captures {@code amountMinor} of the payment's authorization; the rest of the hold is released.
     * {@code claim} names the caller's claim on the payment: asked again about the same claim, auth-service
     * answers from that claim's attempt and never sends a new one (null: any failed attempt may be followed
     * by a new one).
     */
    public record CaptureRequest(String paymentId, String merchantId, long amountMinor, String currency, String claim) {
    }

    /** Releases the payment's authorization; {@code claim} as for a capture. */
    public record VoidRequest(String paymentId, String merchantId, String claim) {
    }

    /** Returns {@code amountMinor} of the payment's captured money to the card. */
    public record RefundRequest(String refundId, String paymentId, String merchantId, long amountMinor, String currency) {
    }

    /** The acquirer's answer to a capture, void or refund. */
    public record OperationResponse(AcquirerOutcome outcome, String declineCode, String acquirer, String networkReference) {
    }
}
