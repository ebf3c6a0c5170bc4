package dev.nightjar.gateway.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.common.error.ApiException;
import dev.nightjar.gateway.payment.CreatePaymentRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApiContractTest {

    private static final ApiContract CONTRACT = ApiContract.load();

    private static final String VALID = """
            {"amount": 1999, "currency": "EUR", "payment_method": {"type": "card",
             "card": {"number": "4242424242424242", "exp_month": 12, "exp_year": 2030, "cvc": "123"}},
             "metadata": {"k": "v"}}""";

    @Test
    void aValidBodyIsBoundWithoutCoercion() {
        CreatePaymentRequest request = CONTRACT.read(bytes(VALID), "CreatePaymentRequest", CreatePaymentRequest.class);
        assertThat(request.amount()).isEqualTo(1999L);
        assertThat(request.paymentMethod().card().expMonth()).isEqualTo(12);
        assertThat(request.metadata()).containsEntry("k", "v");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "amount as a string     | {\"amount\": \"1999\", \"currency\": \"EUR\", \"payment_method\": {\"type\": \"card_token\", \"token\": \"tok_01JD0000000000000000000000\"}} | amount | parameter_invalid",
            "amount as a fraction   | {\"amount\": 19.5, \"currency\": \"EUR\", \"payment_method\": {\"type\": \"card_token\", \"token\": \"tok_01JD0000000000000000000000\"}} | amount | parameter_invalid",
            "amount zero            | {\"amount\": 0, \"currency\": \"EUR\", \"payment_method\": {\"type\": \"card_token\", \"token\": \"tok_01JD0000000000000000000000\"}} | amount | parameter_invalid",
            "amount too large       | {\"amount\": 100000000, \"currency\": \"EUR\", \"payment_method\": {\"type\": \"card_token\", \"token\": \"tok_01JD0000000000000000000000\"}} | amount | parameter_invalid",
            "missing currency       | {\"amount\": 1, \"payment_method\": {\"type\": \"card_token\", \"token\": \"tok_01JD0000000000000000000000\"}} | currency | parameter_missing",
            "lower-case currency    | {\"amount\": 1, \"currency\": \"eur\", \"payment_method\": {\"type\": \"card_token\", \"token\": \"tok_01JD0000000000000000000000\"}} | currency | parameter_invalid",
            "unknown top field      | {\"amount\": 1, \"currency\": \"EUR\", \"colour\": \"red\", \"payment_method\": {\"type\": \"card_token\", \"token\": \"tok_01JD0000000000000000000000\"}} | colour | parameter_unknown",
            "unknown nested field   | {\"amount\": 1, \"currency\": \"EUR\", \"payment_method\": {\"type\": \"card\", \"card\": {\"number\": \"4242424242424242\", \"exp_month\": 1, \"exp_year\": 2030, \"pin\": \"1\"}}} | payment_method.card.pin | parameter_unknown",
            "month out of range     | {\"amount\": 1, \"currency\": \"EUR\", \"payment_method\": {\"type\": \"card\", \"card\": {\"number\": \"4242424242424242\", \"exp_month\": 13, \"exp_year\": 2030}}} | payment_method.card.exp_month | parameter_invalid",
            "card number with space | {\"amount\": 1, \"currency\": \"EUR\", \"payment_method\": {\"type\": \"card\", \"card\": {\"number\": \"4242 4242 4242 4242\", \"exp_month\": 1, \"exp_year\": 2030}}} | payment_method.card.number | parameter_invalid",
            "missing card number    | {\"amount\": 1, \"currency\": \"EUR\", \"payment_method\": {\"type\": \"card\", \"card\": {\"exp_month\": 1, \"exp_year\": 2030}}} | payment_method.card.number | parameter_missing",
            "wrong method type      | {\"amount\": 1, \"currency\": \"EUR\", \"payment_method\": {\"type\": \"cash\"}} | payment_method.type | parameter_invalid",
            "metadata value number  | {\"amount\": 1, \"currency\": \"EUR\", \"metadata\": {\"k\": 5}, \"payment_method\": {\"type\": \"card_token\", \"token\": \"tok_01JD0000000000000000000000\"}} | metadata.k | parameter_invalid",
            "metadata key too long  | {\"amount\": 1, \"currency\": \"EUR\", \"metadata\": {\"kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk\": \"v\"}, \"payment_method\": {\"type\": \"card_token\", \"token\": \"tok_01JD0000000000000000000000\"}} | metadata | parameter_invalid",
            "capture method unknown | {\"amount\": 1, \"currency\": \"EUR\", \"capture_method\": \"later\", \"payment_method\": {\"type\": \"card_token\", \"token\": \"tok_01JD0000000000000000000000\"}} | capture_method | parameter_invalid",
    })
    void aBodyBreakingTheSchemaIsA400NamingTheField(String name, String body, String param, String code) {
        assertThatThrownBy(() -> CONTRACT.read(bytes(body), "CreatePaymentRequest", CreatePaymentRequest.class))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.error().param()).isEqualTo(param);
                    assertThat(e.error().code()).isEqualTo(code);
                });
    }

    @Test
    void theMessageOfAnInvalidCardNumberNeverRepeatsIt() {
        String body = VALID.replace("4242424242424242", "42424242424242424242");
        assertThatThrownBy(() -> CONTRACT.read(bytes(body), "CreatePaymentRequest", CreatePaymentRequest.class))
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.error().message()).doesNotContain("4242"));
    }

    @Test
    void malformedJsonDuplicateKeysAndTrailingGarbageAreRefused() {
        for (String body : new String[] {"{\"amount\": 1", "{\"amount\": 1, \"amount\": 2}", VALID + " {}", "[]", "null"}) {
            assertThatThrownBy(() -> CONTRACT.read(bytes(body), "CreatePaymentRequest", CreatePaymentRequest.class))
                    .as(body)
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(400));
        }
    }

    @Test
    void anOptionalBodyMayBeAbsent() {
        record Capture(Long amount) {
        }
        assertThat(CONTRACT.readOptional(null, "CaptureRequest", Capture.class).amount()).isNull();
        assertThat(CONTRACT.readOptional(bytes("{\"amount\": 5}"), "CaptureRequest", Capture.class).amount()).isEqualTo(5L);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
