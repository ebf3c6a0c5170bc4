package dev.nightjar.common.contract;

/**
 * The HTTP protocol spoken between auth-service's connector and an acquirer (the simulator here).
 * Requests carry the caller's reference, on which the acquirer deduplicates: a repeated reference
 * returns the first answer and never moves money twice.
 */
public final class AcquirerProtocol {

    public static final String AUTHORIZATIONS = "/v1/authorizations";
    public static final String CAPTURES = "/v1/captures";
    public static final String VOIDS = "/v1/voids";
    public static final String REFUNDS = "/v1/refunds";
    public static final String TEST_CARDS = "/v1/test-cards";
    public static final String RECORDS = "/admin/records";

    private AcquirerProtocol() {
    }

    public record AuthorizationRequest(String reference, String merchantId, long amountMinor, String currency,
                                       String number, int expMonth, int expYear, String cvc, boolean capture) {

        @Override
        public String toString() {
            return "AuthorizationRequest[reference=" + reference + ", number=(redacted)]";
        }
    }

    public record AuthorizationResponse(String reference, String networkReference, String outcome, String declineCode,
                                        String authorizationCode, boolean captured) {
    }

    /** Captures part or all of an authorization, named by its network reference. */
    public record CaptureRequest(String reference, String authorization, long amountMinor, String currency) {
    }

    /** Releases an authorization. */
    public record VoidRequest(String reference, String authorization) {
    }

    /** Refunds part or all of what an authorization captured. */
    public record RefundRequest(String reference, String authorization, long amountMinor, String currency) {
    }

    /** The answer to a capture, void or refund. */
    public record OperationResponse(String reference, String networkReference, String outcome, String declineCode) {
    }

    /** A test card and what the simulated network does with it. */
    public record TestCard(String number, String brand, String outcome, String declineCode, String description) {
    }
}
