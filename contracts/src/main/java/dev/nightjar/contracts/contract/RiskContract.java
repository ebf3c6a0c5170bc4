package dev.nightjar.contracts.contract;

import java.util.List;

/** The risk service's synchronous decision API: {@code POST /internal/v1/decisions}. */
public final class RiskContract {

    public static final String DECISIONS = "/internal/v1/decisions";

    private RiskContract() {
    }

    /**
     * What risk-service is asked to judge. The last three components are optional (null when unknown):
     * the customer's IP address, the country that address is located in (ISO 3166 alpha-2, as the caller
     * geolocated it) and the card's issuing country.
     */
    public record DecisionRequest(String paymentId, String merchantId, long amountMinor, String currency, CardDetails card,
                                  String customerIp, String ipCountry, String cardCountry) {
    }

    /** A score from 0 (safe) to 100, the decision, and the reasons that led to it. */
    public record Decision(int score, RiskDecision decision, List<String> reasons, boolean fallbackUsed) {
    }
}
