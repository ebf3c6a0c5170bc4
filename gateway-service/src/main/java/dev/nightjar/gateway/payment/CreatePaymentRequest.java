package dev.nightjar.gateway.payment;

import java.util.Map;

/** {@code POST /v1/payments} as merchants send it (API.md). Boxed types so "missing" and "wrong" differ. */
public record CreatePaymentRequest(
        Long amount,
        String currency,
        String captureMethod,
        PaymentMethod paymentMethod,
        String reference,
        String description,
        Map<String, String> metadata) {

    public record PaymentMethod(String type, Card card, String token) {
    }

    public record Card(String number, Integer expMonth, Integer expYear, String cvc) {

        @Override
        public String toString() {
            return "Card[(redacted)]";
        }
    }
}
