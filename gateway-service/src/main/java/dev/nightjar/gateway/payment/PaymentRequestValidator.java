package dev.nightjar.gateway.payment;

import dev.nightjar.common.error.ApiException;
import dev.nightjar.contracts.card.CardNumbers;
import dev.nightjar.contracts.money.Currencies;
import dev.nightjar.contracts.money.CurrencyUnit;
import java.time.Clock;
import java.time.YearMonth;

/**
 * The rules a JSON schema cannot say, checked after the body has passed {@code openapi.json}: Luhn,
 * expiry, the currency and its exponent, and which fields go with which payment method type. (No card
 * number in free text is {@code ApiContract}'s rule, for every body.) The first problem found is a 400
 * naming its field.
 */
public final class PaymentRequestValidator {

    private final Clock clock;

    public PaymentRequestValidator(Clock clock) {
        this.clock = clock;
    }

    public void validate(CreatePaymentRequest request) {
        CurrencyUnit currency = Currencies.find(request.currency()).orElseThrow(() -> ApiException.invalidParameter(
                "currency", "currency must be an active ISO 4217 code such as EUR (" + request.currency() + " is not one)."));
        if (currency.exponent() == 3 && request.amount() % 10 != 0) {
            throw ApiException.invalidParameter("amount", "Card networks settle " + currency.code()
                    + " in steps of 10 minor units (its third decimal must be 0): amount must be a multiple of 10.");
        }
        CreatePaymentRequest.PaymentMethod method = request.paymentMethod();
        switch (method.type()) {
            case "card" -> {
                if (method.token() != null) {
                    throw ApiException.invalidParameter("payment_method.token", "token is only for type card_token.");
                }
                if (method.card() == null) {
                    throw ApiException.missingParameter("payment_method.card");
                }
                validateCard("payment_method.card", method.card());
            }
            case "card_token" -> {
                if (method.card() != null) {
                    throw ApiException.invalidParameter("payment_method.card", "card is only for type card.");
                }
                if (method.token() == null) {
                    throw ApiException.missingParameter("payment_method.token");
                }
            }
            default -> throw ApiException.invalidParameter("payment_method.type", "type must be card or card_token.");
        }
    }

    /** A card as sent in a payment or a token request; {@code prefix} is where it sits in the body. */
    public void validateCard(String prefix, CreatePaymentRequest.Card card) {
        if (!CardNumbers.isValid(card.number())) {
            throw ApiException.invalidParameter(prefix + ".number",
                    "The card number is not a valid card number (12 to 19 digits passing the Luhn check).");
        }
        if (YearMonth.of(card.expYear(), card.expMonth()).isBefore(YearMonth.now(clock))) {
            throw ApiException.invalidParameter(prefix + ".exp_year", "The card's expiry date is in the past.");
        }
    }
}
