package dev.nightjar.common.contract;

/** The authorization service's internal API: {@code POST /internal/v1/authorizations}. */
public final class AuthContract {

    public static final String AUTHORIZATIONS = "/internal/v1/authorizations";

    public static final String APPROVED = "approved";
    public static final String DECLINED = "declined";
    /** The acquirer did not answer in time or failed: the money may or may not be held. */
    public static final String UNKNOWN = "unknown";
    /** The acquirer failed for certain; nothing is held. */
    public static final String FAILED = "failed";

    private AuthContract() {
    }

    public record AuthorizeRequest(String paymentId, String merchantId, String token, long amountMinor,
                                   String currency, boolean capture) {
    }

    public record AuthorizeResponse(String outcome, String declineCode, String acquirer, String networkReference,
                                    String authorizationCode, boolean captured) {
    }
}
