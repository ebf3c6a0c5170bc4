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

    private static final String TOKEN_PAYMENT = "\"amount\": 100, \"currency\": \"EUR\", "
            + "\"payment_method\": {\"type\": \"card_token\", \"token\": \"tok_01JD0000000000000000000000\"}";

    private static ApiException refusal(String body, String schema, Class<?> type) {
        return refusal(bytes(body), schema, type);
    }

    private static ApiException refusal(byte[] body) {
        return refusal(body, "CreatePaymentRequest", CreatePaymentRequest.class);
    }

    private static ApiException refusal(byte[] body, String schema, Class<?> type) {
        try {
            CONTRACT.read(body, schema, type);
        } catch (ApiException e) {
            return e;
        }
        throw new AssertionError("accepted: " + new String(body, StandardCharsets.UTF_8));
    }

    @Test
    void aBodyThatIsNotUtf8IsInvalidJsonWhateverJacksonCouldMakeOfIt() {
        byte[] utf8 = bytes(VALID);
        byte[][] bodies = {
                VALID.getBytes(StandardCharsets.UTF_16), VALID.getBytes(StandardCharsets.UTF_16LE),
                VALID.getBytes(StandardCharsets.UTF_16BE), VALID.getBytes(java.nio.charset.Charset.forName("UTF-32")),
                concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8),
                "{\"description\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1),
                {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'},
                {'{', '"', 'a', '"', ':', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'}};
        for (byte[] body : bodies) {
            ApiException refused = refusal(body);
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.error().code()).isEqualTo("invalid_json");
        }
        assertThat(CONTRACT.read(utf8, "CreatePaymentRequest", CreatePaymentRequest.class).amount()).isEqualTo(1999L);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "NUL in reference          | \"reference\": \"a\\u0000b\"           | reference",
            "NUL in description        | \"description\": \"a\\u0000b\"         | description",
            "NUL in a metadata value   | \"metadata\": {\"k\": \"a\\u0000\"}     | metadata.k",
            "NUL in a metadata key     | \"metadata\": {\"a\\u0000\": \"v\"}     | metadata",
            "ESC in description        | \"description\": \"a\\u001b\"          | description",
            "DEL in reference          | \"reference\": \"a\\u007f\"            | reference",
            "C1 NEL in description     | \"description\": \"a\\u0085\"          | description",
            "C1 in a metadata value    | \"metadata\": {\"k\": \"\\u009f\"}      | metadata.k",
            "tab in reference          | \"reference\": \"a\\tb\"               | reference",
            "line feed in a key        | \"metadata\": {\"a\\nb\": \"v\"}       | metadata",
            "lone surrogate            | \"description\": \"a\\ud800b\"         | description",
            "reversed surrogates       | \"metadata\": {\"k\": \"\\udc00\\ud800\"} | metadata.k",
    })
    void controlCharactersAndUnpairedSurrogatesInFreeTextAreRefusedNamingTheField(String name, String field, String param) {
        ApiException refused = refusal("{" + TOKEN_PAYMENT + ", " + field + "}", "CreatePaymentRequest", CreatePaymentRequest.class);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.error().code()).isEqualTo("parameter_invalid");
        assertThat(refused.error().param()).isEqualTo(param);
    }

    @Test
    void tabAndLineBreaksAreAllowedWhereTextMaySpanLines() {
        CreatePaymentRequest request = CONTRACT.read(bytes("{" + TOKEN_PAYMENT
                + ", \"description\": \"2 tickets\\n\\trow 5\\r\\n\", \"metadata\": {\"k\": \"a\\nb\"}}"),
                "CreatePaymentRequest", CreatePaymentRequest.class);
        assertThat(request.description()).isEqualTo("2 tickets\n\trow 5\r\n");
        assertThat(request.metadata()).containsEntry("k", "a\nb");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "reference        | CreatePaymentRequest   | {%s, \"reference\": \"%s\"}                       | reference",
            "description      | CreatePaymentRequest   | {%s, \"description\": \"paid with %s\"}           | description",
            "metadata value   | CreatePaymentRequest   | {%s, \"metadata\": {\"note\": \"%s\"}}            | metadata.note",
            "metadata key     | CreatePaymentRequest   | {%s, \"metadata\": {\"%s\": \"v\"}}               | metadata",
            "unknown field    | CreatePaymentRequest   | {%s, \"%s\": \"v\"}                               | ",
            "reviewer         | ReviewDecision         | {\"reviewer\": \"%2$s\"}                         | reviewer",
            "review note      | ReviewDecision         | {\"reviewer\": \"alice\", \"note\": \"card %2$s\"} | note",
            "webhook url      | WebhookEndpointRequest | {\"url\": \"https://shop.example/%2$s\", \"events\": [\"payment.captured\"]} | url",
    })
    void aCardNumberInAnyFreeTextFieldIsRefusedNamingTheFieldWithoutRepeatingIt(String name, String schema, String template,
                                                                               String param) {
        for (String card : new String[] {"4000000000009995", "4000 0000 0000 9995", "4000-0000-0000-9995",
                "\\u0034\\u0030\\u0030\\u0030\\u0030\\u0030\\u0030\\u0030\\u0030\\u0030\\u0030\\u0030\\u0039\\u0039\\u0039\\u0035"}) {
            String body = template.formatted(TOKEN_PAYMENT, card);
            ApiException refused = refusal(body, schema, Object.class);
            assertThat(refused.status()).as(body).isEqualTo(400);
            assertThat(refused.error().param()).as(body).isEqualTo(param);
            assertThat(refused.error().message()).as(body).doesNotContain("9995");
        }
    }

    @Test
    void theCardNumberFieldsThemselvesTakeACardNumber() {
        assertThat(CONTRACT.read(bytes(VALID), "CreatePaymentRequest", CreatePaymentRequest.class).paymentMethod().card()
                .number()).isEqualTo("4242424242424242");
        record TokenRequest(CreatePaymentRequest.Card card) {
        }
        assertThat(CONTRACT.read(bytes("{\"card\": {\"number\": \"4242424242424242\", \"exp_month\": 1, \"exp_year\": 2031}}"),
                "TokenRequest", TokenRequest.class).card().number()).isEqualTo("4242424242424242");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "exponent           | \"amount\": 1e2      | amount",
            "signed exponent    | \"amount\": 1E+2     | amount",
            "integral fraction  | \"amount\": 100.0    | amount",
            "month as exponent  | \"amount\": 1, \"payment_method\": {\"type\": \"card\", \"card\": {\"number\": \"4242424242424242\", \"exp_month\": 1E1, \"exp_year\": 2030}} | payment_method.card.exp_month",
    })
    void anIntegerWrittenWithAFractionOrExponentIsRefusedNamingTheField(String name, String field, String param) {
        String body = field.contains("payment_method") ? "{\"currency\": \"EUR\", " + field + "}"
                : "{" + TOKEN_PAYMENT.replace("\"amount\": 100", field) + "}";
        ApiException refused = refusal(body, "CreatePaymentRequest", CreatePaymentRequest.class);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.error().param()).isEqualTo(param);
    }

    @Test
    void deepNestingAndLongNumbersAreRefusedBeforeAnySchemaWork() {
        String deep = "{\"metadata\": " + "{\"a\": ".repeat(40) + "1" + "}".repeat(40) + "}";
        assertThat(refusal(bytes(deep)).error().code()).isEqualTo("invalid_json");
        assertThat(refusal(bytes("[".repeat(5000) + "]".repeat(5000))).error().code()).isEqualTo("invalid_json");
        assertThat(refusal(bytes("{\"amount\": " + "9".repeat(500) + "}")).error().code()).isEqualTo("invalid_json");
        assertThat(refusal(bytes("{\"amount\": " + "9".repeat(50) + ", \"currency\": \"EUR\"}")).error().param())
                .as("a long number within the limit is judged by the schema").isEqualTo("amount");
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
