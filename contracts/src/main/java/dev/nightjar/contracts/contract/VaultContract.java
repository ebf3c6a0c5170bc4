package dev.nightjar.contracts.contract;

/** The vault's internal API: {@code POST /internal/v1/tokens}, {@code GET /internal/v1/tokens/{token}}, {@code POST …/detokenize}. */
public final class VaultContract {

    public static final String TOKENS = "/internal/v1/tokens";
    public static final String TOKEN = "/internal/v1/tokens/{token}";
    public static final String DETOKENIZE = "/internal/v1/tokens/{token}/detokenize";

    private VaultContract() {
    }

    /** The card to store; the CVC is held in memory only, until the authorization that needs it. */
    public record TokenizeRequest(String merchantId, String number, int expMonth, int expYear, String cvc) {

        @Override
        public String toString() {
            return "TokenizeRequest[merchantId=" + merchantId + ", number=(redacted)]";
        }
    }

    public record TokenResponse(String token, String merchantId, CardDetails card) {
    }

    /** Asks for the card behind a token, for one payment's acquirer call. */
    public record DetokenizeRequest(String merchantId, String paymentId) {
    }

    public record DetokenizeResponse(String number, int expMonth, int expYear, String cvc) {

        @Override
        public String toString() {
            return "DetokenizeResponse[(redacted)]";
        }
    }
}
