package dev.nightjar.contracts.contract;

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
    /** {@code POST} a batch for clearing; {@code GET /{batchId}/report} for what the acquirer settled of it. */
    public static final String SETTLEMENT_BATCHES = "/v1/settlement-batches";
    /** {@code PUT}/{@code GET}/{@code DELETE}: make the next settlement reports drop or alter lines. */
    public static final String REPORT_FAULTS = "/admin/report-faults";

    private AcquirerProtocol() {
    }

    public record AuthorizationRequest(String reference, String merchantId, long amountMinor, String currency,
                                       String number, int expMonth, int expYear, String cvc, boolean capture) {

        @Override
        public String toString() {
            return "AuthorizationRequest[reference=" + reference + ", number=(redacted)]";
        }
    }

    public record AuthorizationResponse(String reference, String networkReference, NetworkAnswer outcome, String declineCode,
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
    public record OperationResponse(String reference, String networkReference, NetworkAnswer outcome, String declineCode) {
    }

    /** A test card and what the simulated network does with it. */
    public record TestCard(String number, String brand, String outcome, String declineCode, String description) {
    }

    /**
     * A settlement batch submitted for clearing: every capture and refund of one acquirer and currency that
     * Nightjar's ledger booked before the cut-off. Resubmitting a batch id returns the first answer.
     */
    public record SettlementBatchRequest(String batchId, String currency, java.util.List<SettlementBatchLine> lines) {
    }

    /**
     * One movement to clear. {@code reference} is Nightjar's (the ledger entry id) and comes back on the
     * report line; {@code authorization} is the network reference of the payment's authorization, which the
     * acquirer matches against its own records. {@code amountMinor} is positive; {@code operation} says
     * which way it goes ({@code capture} or {@code refund}).
     */
    public record SettlementBatchLine(String reference, String paymentId, String merchantId, String authorization,
                                      String operation, long amountMinor) {
    }

    /**
     * What the acquirer settled of a batch: one line per movement it found in its own records, with the
     * amount it moved (negative for refunds) and its fee. Lines it did not find are absent; lines it has
     * that Nightjar did not submit may appear with a reference of its own.
     */
    public record SettlementReport(String batchId, String acquirer, String currency, java.util.List<SettlementReportLine> lines) {
    }

    public record SettlementReportLine(String reference, String networkReference, String merchantId, String operation,
                                       long amountMinor, long feeMinor) {
    }

    /** The acquirer's receipt for a submitted batch: how many lines it took. The same for a resubmission. */
    public record SettlementBatchReceipt(String batchId, String acquirer, String currency, int lines) {
    }

    /** Operations of a settlement line. */
    public static final String CAPTURE = "capture";
    public static final String REFUND = "refund";

    /**
     * The acquirer's fee on one settled movement, as acquirers price it: {@code basisPoints} hundredths of a
     * percent of the amount, rounded half up; refunds carry none. Both the acquirer and the side that
     * checks its report compute it here, so the rule cannot drift between them.
     */
    public static long feeMinor(String operation, long amountMinor, int basisPoints) {
        if (REFUND.equals(operation)) {
            return 0;
        }
        if (amountMinor < 0 || basisPoints < 0 || basisPoints > 10_000) {
            throw new IllegalArgumentException("fee needs a non-negative amount and 0 to 10000 basis points");
        }
        return Math.addExact(Math.multiplyExact(amountMinor, (long) basisPoints), 5_000) / 10_000;
    }
}
