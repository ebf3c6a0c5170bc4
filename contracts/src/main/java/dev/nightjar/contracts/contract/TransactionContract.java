package dev.nightjar.contracts.contract;

import java.util.Map;

/** The transaction service's internal API, called by the gateway on a merchant's behalf. */
public final class TransactionContract {

    public static final String PAYMENTS = "/internal/v1/merchants/{merchantId}/payments";
    /** Header of a create's answer: true when the payment or refund already existed under the idempotency key. */
    public static final String EXISTING_HEADER = "Nightjar-Existing";
    public static final String PAYMENT = "/internal/v1/merchants/{merchantId}/payments/{paymentId}";
    public static final String CAPTURE = "/internal/v1/merchants/{merchantId}/payments/{paymentId}/capture";
    public static final String CANCEL = "/internal/v1/merchants/{merchantId}/payments/{paymentId}/cancel";
    public static final String REFUNDS = "/internal/v1/merchants/{merchantId}/payments/{paymentId}/refunds";
    public static final String REVIEWS = "/internal/v1/merchants/{merchantId}/reviews";
    public static final String APPROVE = "/internal/v1/merchants/{merchantId}/payments/{paymentId}/approve";

    private TransactionContract() {
    }

    /** A new payment, card already tokenized. */
    public record CreatePayment(String idempotencyKey, long amountMinor, String currency, String captureMethod,
                                String token, CardDetails card, String reference, String description,
                                Map<String, String> metadata) {
    }

    /**
     * Capture all (amount null) or part of what is capturable. {@code idempotencyKey} (the gateway's keyed
     * hash of the merchant's key, or null) names the request, so the same request may ask again about a
     * capture whose answer it never heard.
     */
    public record CapturePayment(Long amountMinor, String idempotencyKey) {
    }

    /** Cancel (void) an authorization, or reject a payment held for review; the key as for captures. */
    public record CancelPayment(String idempotencyKey) {
    }

    /** Refund all that is left (amount null) or part of it. */
    public record CreateRefund(String idempotencyKey, Long amountMinor, String reason) {
    }
}
