package dev.nightjar.common.contract;

import java.util.Map;

/** The transaction service's internal API, called by the gateway on a merchant's behalf. */
public final class TransactionContract {

    public static final String PAYMENTS = "/internal/v1/merchants/{merchantId}/payments";
    public static final String PAYMENT = "/internal/v1/merchants/{merchantId}/payments/{paymentId}";

    private TransactionContract() {
    }

    /** A new payment, card already tokenized. */
    public record CreatePayment(String idempotencyKey, long amountMinor, String currency, String captureMethod,
                                String token, CardDetails card, String reference, String description,
                                Map<String, String> metadata) {
    }
}
