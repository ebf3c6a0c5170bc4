package dev.nightjar.gateway.payment;

import dev.nightjar.common.card.CardNumbers;
import dev.nightjar.common.error.ApiException;
import dev.nightjar.common.logging.PanMasker;
import dev.nightjar.common.money.Currencies;
import java.time.Clock;
import java.time.YearMonth;
import java.util.Map;

/** Checks a payment request against the API's rules; the first problem found is a 400 naming its field. */
public final class PaymentRequestValidator {

    public static final long MAX_AMOUNT_MINOR = 99_999_999L;
    private static final int MAX_REFERENCE = 128;
    private static final int MAX_DESCRIPTION = 500;
    private static final int MAX_METADATA_KEYS = 20;
    private static final int MAX_METADATA_KEY = 40;
    private static final int MAX_METADATA_VALUE = 500;

    private final Clock clock;

    public PaymentRequestValidator(Clock clock) {
        this.clock = clock;
    }

    public void validate(CreatePaymentRequest request) {
        if (request.amount() == null) {
            throw ApiException.missingParameter("amount");
        }
        if (request.amount() < 1 || request.amount() > MAX_AMOUNT_MINOR) {
            throw ApiException.invalidParameter("amount", "amount must be an integer from 1 to 99999999 (minor units).");
        }
        if (request.currency() == null) {
            throw ApiException.missingParameter("currency");
        }
        if (!Currencies.isKnown(request.currency())) {
            throw ApiException.invalidParameter("currency", "currency must be an upper-case ISO 4217 code such as EUR.");
        }
        if (request.captureMethod() != null
                && !request.captureMethod().equals("automatic") && !request.captureMethod().equals("manual")) {
            throw ApiException.invalidParameter("capture_method", "capture_method must be automatic or manual.");
        }
        validatePaymentMethod(request.paymentMethod());
        maxLength("reference", request.reference(), MAX_REFERENCE);
        maxLength("description", request.description(), MAX_DESCRIPTION);
        validateMetadata(request.metadata());
        noCardNumber("reference", request.reference());
        noCardNumber("description", request.description());
        if (request.metadata() != null) {
            request.metadata().forEach((key, value) -> {
                noCardNumber("metadata", key);
                noCardNumber("metadata." + key, value);
            });
        }
    }

    private void validatePaymentMethod(CreatePaymentRequest.PaymentMethod method) {
        if (method == null) {
            throw ApiException.missingParameter("payment_method");
        }
        if (method.type() == null) {
            throw ApiException.missingParameter("payment_method.type");
        }
        switch (method.type()) {
            case "card" -> {
                if (method.token() != null) {
                    throw ApiException.invalidParameter("payment_method.token", "token is only for type card_token.");
                }
                validateCard(method.card());
            }
            case "card_token" -> {
                if (method.card() != null) {
                    throw ApiException.invalidParameter("payment_method.card", "card is only for type card.");
                }
                if (method.token() == null || !method.token().startsWith("tok_")) {
                    throw ApiException.invalidParameter("payment_method.token", "token must be a tok_… id.");
                }
            }
            default -> throw ApiException.invalidParameter("payment_method.type", "type must be card or card_token.");
        }
    }

    private void validateCard(CreatePaymentRequest.Card card) {
        if (card == null) {
            throw ApiException.missingParameter("payment_method.card");
        }
        if (card.number() == null) {
            throw ApiException.missingParameter("payment_method.card.number");
        }
        if (!CardNumbers.isValid(card.number())) {
            throw ApiException.invalidParameter("payment_method.card.number",
                    "The card number is not a valid card number (12 to 19 digits passing the Luhn check).");
        }
        if (card.expMonth() == null) {
            throw ApiException.missingParameter("payment_method.card.exp_month");
        }
        if (card.expMonth() < 1 || card.expMonth() > 12) {
            throw ApiException.invalidParameter("payment_method.card.exp_month", "exp_month must be from 1 to 12.");
        }
        if (card.expYear() == null) {
            throw ApiException.missingParameter("payment_method.card.exp_year");
        }
        if (card.expYear() < 2000 || card.expYear() > 2100
                || YearMonth.of(card.expYear(), card.expMonth()).isBefore(YearMonth.now(clock))) {
            throw ApiException.invalidParameter("payment_method.card.exp_year", "The card's expiry date is in the past.");
        }
        if (card.cvc() != null && !card.cvc().matches("[0-9]{3,4}")) {
            throw ApiException.invalidParameter("payment_method.card.cvc", "cvc must be 3 or 4 digits.");
        }
    }

    private static void validateMetadata(Map<String, String> metadata) {
        if (metadata == null) {
            return;
        }
        if (metadata.size() > MAX_METADATA_KEYS) {
            throw ApiException.invalidParameter("metadata", "metadata may have at most 20 keys.");
        }
        for (Map.Entry<String, String> entry : metadata.entrySet()) {
            if (entry.getKey().isEmpty() || entry.getKey().length() > MAX_METADATA_KEY) {
                throw ApiException.invalidParameter("metadata", "metadata keys must be 1 to 40 characters.");
            }
            if (entry.getValue() == null) {
                throw ApiException.invalidParameter("metadata." + entry.getKey(), "metadata values must be strings.");
            }
            if (entry.getValue().length() > MAX_METADATA_VALUE) {
                throw ApiException.invalidParameter("metadata." + entry.getKey(), "metadata values may be at most 500 characters.");
            }
        }
    }

    /**
     * Free text is stored and travels in events, where a card number must never be: anything shaped like
     * one is refused (the message does not repeat it).
     */
    private static void noCardNumber(String param, String value) {
        if (PanMasker.containsPan(value)) {
            throw ApiException.invalidParameter(param.startsWith("metadata.") ? "metadata" : param,
                    param + " looks like it contains a card number; card numbers go in payment_method.card only.");
        }
    }

    private static void maxLength(String param, String value, int max) {
        if (value != null && value.length() > max) {
            throw ApiException.invalidParameter(param, param + " may be at most " + max + " characters.");
        }
    }
}
