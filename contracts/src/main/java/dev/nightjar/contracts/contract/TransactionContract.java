package dev.nightjar.contracts.contract;

import java.util.Map;

/** The transaction service's internal API, called by the gateway on a merchant's behalf. */
public final class TransactionContract {

    public static final String PAYMENTS = "/internal/v1/merchants/{merchantId}/payments";
    /** Header of a create's answer: true when the payment or refund already existed under the idempotency key. */
    public static final String EXISTING_HEADER = "Nightjar-Existing";
    /**
     * The {@code Prefer} header's value (RFC 7240) that asks for a create answered before processing: a {@code 202}
     * with the payment {@code received}; the gateway passes the merchant's preference on as it is.
     */
    public static final String RESPOND_ASYNC = "respond-async";
    /** The header that carries {@link #RESPOND_ASYNC}. */
    public static final String PREFER_HEADER = "Prefer";
    public static final String PAYMENT = "/internal/v1/merchants/{merchantId}/payments/{paymentId}";
    public static final String CAPTURE = "/internal/v1/merchants/{merchantId}/payments/{paymentId}/capture";
    public static final String CANCEL = "/internal/v1/merchants/{merchantId}/payments/{paymentId}/cancel";
    public static final String REFUNDS = "/internal/v1/merchants/{merchantId}/payments/{paymentId}/refunds";
    public static final String REVIEWS = "/internal/v1/merchants/{merchantId}/reviews";
    public static final String APPROVE = "/internal/v1/merchants/{merchantId}/payments/{paymentId}/approve";
    /** A reviewer's rejection: a held payment is canceled, a flagged one canceled or refunded. */
    public static final String REJECT = "/internal/v1/merchants/{merchantId}/payments/{paymentId}/reject";

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
