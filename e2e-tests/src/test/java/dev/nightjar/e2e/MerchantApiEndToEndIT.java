package dev.nightjar.e2e;

import static dev.nightjar.e2e.ApiSchemas.assertMatches;
import static dev.nightjar.e2e.MerchantClient.cardPayment;
import static dev.nightjar.e2e.MerchantClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.platform.FleetMember;
import dev.nightjar.testsupport.Await;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every row of API.md through the real gateway over HTTPS, against the whole fleet: the lifecycle,
 * idempotency, validation, listings, isolation between merchants, scopes, rate limits and tokens. Each
 * answer is also held to its schema in docs/openapi.json.
 */
@ExtendWith(Fleet.class)
class MerchantApiEndToEndIT {

    private static final String VISA = "4242424242424242";

    private static MerchantClient shop;
    private static MerchantClient other;

    @BeforeAll
    static void merchants() {
        shop = MerchantClient.newMerchant(Fleet.running(), "API Shop");
        other = MerchantClient.newMerchant(Fleet.running(), "Other Shop");
    }

    private static Map<String, Object> created(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertMatches("Payment", response.body());
        return json(response.body());
    }

    private static Map<String, Object> ok(HttpResponse<String> response, String schema) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertMatches(schema, response.body());
        return json(response.body());
    }

    private static Map<String, Object> error(HttpResponse<String> response, int status, String type, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertMatches("Error", response.body());
        Map<?, ?> error = (Map<?, ?>) json(response.body()).get("error");
        assertThat(error.get("type")).isEqualTo(type);
        if (code != null) {
            assertThat(error.get("code")).isEqualTo(code);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> typed = (Map<String, Object>) error;
        return typed;
    }

    private static String manual(long amount) {
        return cardPayment(amount, VISA).replace("\"currency\"", "\"capture_method\": \"manual\", \"currency\"");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    private static String key() {
        return "e2e-" + System.nanoTime();
    }

    @Test
    void automaticCaptureReturnsTheWholePaymentObject() {
        Map<String, Object> payment = created(shop.post("/v1/payments", """
                {"amount": 1999, "currency": "EUR", "capture_method": "automatic",
                 "payment_method": {"type": "card", "card": {"number": "4242424242424242", "exp_month": 12, "exp_year": 2030, "cvc": "123"}},
                 "reference": "order-1234", "description": "2 tickets", "metadata": {"k": "v"}}""", key()));
        assertThat(payment).containsEntry("object", "payment").containsEntry("status", "captured")
                .containsEntry("amount_capturable", 0).containsEntry("amount_captured", 1999).containsEntry("amount_refunded", 0)
                .containsEntry("reference", "order-1234").containsEntry("description", "2 tickets")
                .containsEntry("metadata", Map.of("k", "v")).containsEntry("failure", null);
        assertThat(map(payment.get("card"))).containsEntry("brand", "visa").containsEntry("last4", "4242");
        assertThat(map(payment.get("risk"))).containsEntry("decision", "allow");
    }

    @Test
    void manualCaptureHoldsThenCapturesPartOfItAndReleasesTheRest() {
        Map<String, Object> authorized = created(shop.post("/v1/payments", manual(2000), key()));
        assertThat(authorized).containsEntry("status", "authorized").containsEntry("amount_capturable", 2000)
                .containsEntry("amount_captured", 0);
        String id = (String) authorized.get("id");
        error(shop.post("/v1/payments/" + id + "/capture", "{\"amount\": 2001}", key()), 400, "invalid_request_error", "parameter_invalid");
        Map<String, Object> captured = ok(shop.post("/v1/payments/" + id + "/capture", "{\"amount\": 1500}", key()), "Payment");
        assertThat(captured).containsEntry("status", "captured").containsEntry("amount_captured", 1500)
                .containsEntry("amount_capturable", 0);
        Map<String, Object> again = error(shop.post("/v1/payments/" + id + "/capture", "{}", key()), 409,
                "invalid_request_error", "payment_unexpected_state");
        assertThat((String) again.get("message")).contains("captured");
    }

    @Test
    void fullCaptureWithoutABody() {
        String id = (String) created(shop.post("/v1/payments", manual(700), key())).get("id");
        HttpResponse<String> captured = shop.send(shop.request("/v1/payments/" + id + "/capture")
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(ok(captured, "Payment")).containsEntry("amount_captured", 700).containsEntry("status", "captured");
    }

    @Test
    void cancelFromAuthorizedOnlyAndNamesTheStatusOtherwise() {
        String id = (String) created(shop.post("/v1/payments", manual(900), key())).get("id");
        assertThat(ok(shop.post("/v1/payments/" + id + "/cancel", "{}", key()), "Payment"))
                .containsEntry("status", "canceled").containsEntry("amount_capturable", 0);
        String captured = (String) created(shop.post("/v1/payments", cardPayment(900, VISA), key())).get("id");
        Map<String, Object> refused = error(shop.post("/v1/payments/" + captured + "/cancel", "{}", key()), 409,
                "invalid_request_error", "payment_unexpected_state");
        assertThat((String) refused.get("message")).contains("status of captured");
    }

    @Test
    void refundsArePartialOrTheRestAndNeverMoreThanCaptured() {
        String id = (String) created(shop.post("/v1/payments", cardPayment(1000, VISA), key())).get("id");
        HttpResponse<String> first = shop.post("/v1/payments/" + id + "/refunds",
                "{\"amount\": 300, \"reason\": \"requested_by_customer\"}", key());
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        assertMatches("Refund", first.body());
        assertThat(json(first.body())).containsEntry("object", "refund").containsEntry("payment", id)
                .containsEntry("amount", 300).containsEntry("status", "succeeded").containsEntry("currency", "EUR");
        assertThat(ok(shop.get("/v1/payments/" + id), "Payment")).containsEntry("status", "captured")
                .containsEntry("amount_refunded", 300);

        error(shop.post("/v1/payments/" + id + "/refunds", "{\"amount\": 701}", key()), 400, "invalid_request_error", null);
        HttpResponse<String> rest = shop.post("/v1/payments/" + id + "/refunds", "{}", key());
        assertThat(json(rest.body())).containsEntry("amount", 700).containsEntry("status", "succeeded");
        assertThat(ok(shop.get("/v1/payments/" + id), "Payment")).containsEntry("status", "refunded")
                .containsEntry("amount_refunded", 1000);
        error(shop.post("/v1/payments/" + id + "/refunds", "{\"amount\": 1}", key()), 409, "invalid_request_error",
                "payment_unexpected_state");

        Map<String, Object> list = ok(shop.get("/v1/payments/" + id + "/refunds"), "RefundList");
        assertThat((List<?>) list.get("data")).hasSize(2);
        assertThat(list).containsEntry("has_more", false);
        Map<String, Object> page = ok(shop.get("/v1/payments/" + id + "/refunds?limit=1"), "RefundList");
        assertThat(page).containsEntry("has_more", true);
    }

    @Test
    void listingIsNewestFirstWithCursorPagination() {
        MerchantClient fresh = MerchantClient.newMerchant(Fleet.running(), "Listing Shop");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add((String) created(fresh.post("/v1/payments", cardPayment(100 + i, VISA), null)).get("id"));
        }
        Map<String, Object> first = ok(fresh.get("/v1/payments?limit=2"), "PaymentList");
        assertThat(ids(first)).containsExactly(ids.get(4), ids.get(3));
        assertThat(first).containsEntry("has_more", true);
        Map<String, Object> second = ok(fresh.get("/v1/payments?limit=2&starting_after=" + ids.get(3)), "PaymentList");
        assertThat(ids(second)).containsExactly(ids.get(2), ids.get(1));
        Map<String, Object> last = ok(fresh.get("/v1/payments?limit=2&starting_after=" + ids.get(1)), "PaymentList");
        assertThat(ids(last)).containsExactly(ids.get(0));
        assertThat(last).containsEntry("has_more", false);
        assertThat(ids(ok(fresh.get("/v1/payments"), "PaymentList"))).hasSize(5);
        error(fresh.get("/v1/payments?limit=101"), 400, "invalid_request_error", "parameter_invalid");
    }

    @SuppressWarnings("unchecked")
    private static List<String> ids(Map<String, Object> list) {
        return ((List<Map<String, Object>>) list.get("data")).stream().map(p -> (String) p.get("id")).toList();
    }

    @Test
    void anotherMerchantsPaymentIsNotFoundAnywhere() {
        String id = (String) created(shop.post("/v1/payments", manual(500), key())).get("id");
        error(other.get("/v1/payments/" + id), 404, "invalid_request_error", "resource_missing");
        error(other.get("/v1/payments/" + id + "/refunds"), 404, "invalid_request_error", "resource_missing");
        error(other.post("/v1/payments/" + id + "/capture", "{}", key()), 404, "invalid_request_error", "resource_missing");
        error(other.post("/v1/payments/" + id + "/cancel", "{}", key()), 404, "invalid_request_error", "resource_missing");
        error(other.post("/v1/payments/" + id + "/refunds", "{}", key()), 404, "invalid_request_error", "resource_missing");
        error(other.get("/v1/payments?starting_after=" + id), 404, "invalid_request_error", "resource_missing");
        assertThat(ids(ok(other.get("/v1/payments?limit=100"), "PaymentList"))).doesNotContain(id);
        assertThat(ok(shop.get("/v1/payments/" + id), "Payment")).containsEntry("status", "authorized");
    }

    @Test
    void scopesAreEnforced() {
        String readOnly = shop.bearer("payments:read");
        String writeOnly = shop.bearer("payments:write");
        error(shop.sendAs(readOnly, shop.request("/v1/payments").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(cardPayment(100, VISA)))), 403, "permission_error", null);
        error(shop.sendAs(writeOnly, shop.request("/v1/payments").GET()), 403, "permission_error", null);
        error(shop.sendAs(null, shop.request("/v1/payments").GET()), 401, "authentication_error", null);
        error(shop.sendAs("not.a.jwt", shop.request("/v1/payments").GET()), 401, "authentication_error", null);
        assertThat(shop.sendAs(readOnly, shop.request("/v1/payments").GET()).statusCode()).isEqualTo(200);
    }

    @Test
    void sameKeyAndBodyReplaysTheFirstAnswerAndNeverReachesTheAcquirerAgain() {
        MerchantClient fresh = MerchantClient.newMerchant(Fleet.running(), "Replay Shop");
        String key = key();
        HttpResponse<String> first = fresh.post("/v1/payments", cardPayment(1234, VISA), key);
        HttpResponse<String> replay = fresh.post("/v1/payments", cardPayment(1234, VISA), key);
        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(replay.statusCode()).isEqualTo(201);
        assertThat(replay.body()).isEqualTo(first.body());
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
        error(fresh.post("/v1/payments", cardPayment(1235, VISA), key), 409, "idempotency_error", null);
        assertThat(authorizationsAtTheAcquirer(fresh)).isEqualTo(1);

        String id = (String) json(first.body()).get("id");
        String refundKey = key();
        HttpResponse<String> refund = fresh.post("/v1/payments/" + id + "/refunds", "{\"amount\": 100}", refundKey);
        HttpResponse<String> refundReplay = fresh.post("/v1/payments/" + id + "/refunds", "{\"amount\": 100}", refundKey);
        assertThat(refundReplay.body()).isEqualTo(refund.body());
        assertThat(refundReplay.headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(ok(fresh.get("/v1/payments/" + id), "Payment")).containsEntry("amount_refunded", 100);
    }

    private static long authorizationsAtTheAcquirer(MerchantClient merchant) {
        HttpResponse<String> records = merchant.operatorGet(FleetMember.ACQUIRER_A,
                "/admin/records?merchant_id=" + merchant.merchantId());
        assertThat(records.statusCode()).as(records.body()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> list = dev.nightjar.contracts.json.Json.MAPPER.readValue(records.body(), List.class);
        return list.stream().filter(r -> java.util.Set.of("authorization", "sale").contains(String.valueOf(r.get("operation")))).count();
    }

    @Test
    void concurrentRequestsWithOneKeyExecuteOnce() throws Exception {
        MerchantClient fresh = MerchantClient.newMerchant(Fleet.running(), "Concurrent Shop");
        String key = key();
        // the timeout card keeps the first request busy for seconds: the others arrive while it is in flight
        String body = cardPayment(4321, "4000000000000259");
        List<HttpResponse<String>> answers = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            futures.add(threads.submit(() -> fresh.post("/v1/payments", body, key)));
            // its payment is stored before the acquirer is asked, and the acquirer holds it for seconds
            Await.until("the first request's payment stored", Duration.ofSeconds(30),
                    () -> !ids(ok(fresh.get("/v1/payments"), "PaymentList")).isEmpty());
            for (int i = 0; i < 6; i++) {
                Callable<HttpResponse<String>> call = () -> fresh.post("/v1/payments", body, key);
                futures.add(threads.submit(call));
            }
            for (Future<HttpResponse<String>> future : futures) {
                answers.add(future.get());
            }
        }
        List<HttpResponse<String>> executed = answers.stream().filter(a -> a.statusCode() == 201
                && a.headers().firstValue("Idempotent-Replayed").isEmpty()).toList();
        assertThat(executed).hasSize(1);
        List<HttpResponse<String>> inProgress = answers.stream().filter(a -> a.statusCode() == 409).toList();
        assertThat(inProgress).isNotEmpty().allSatisfy(a -> error(a, 409, "idempotency_error", "request_in_progress"));
        assertThat(answers).allSatisfy(a -> assertThat(a.statusCode()).isIn(201, 409));
        assertThat(authorizationsAtTheAcquirer(fresh)).isEqualTo(1);
        assertThat(ids(ok(fresh.get("/v1/payments"), "PaymentList"))).hasSize(1);
    }

    @Test
    void statusesOfTheSpecialTestCards() {
        assertThat(created(shop.post("/v1/payments", cardPayment(800, "4000000000004954"), key())))
                .containsEntry("status", "requires_review");
        Map<String, Object> blocked = created(shop.post("/v1/payments", cardPayment(800, "4100000000000019"), key()));
        assertThat(blocked).containsEntry("status", "declined");
        assertThat(map(blocked.get("failure"))).containsEntry("decline_code", "fraudulent");
        Map<String, Object> failed = created(shop.post("/v1/payments", cardPayment(800, "4000000000000119"), key()));
        assertThat(failed).containsEntry("status", "failed");
        assertThat(map(failed.get("failure"))).containsEntry("code", "processing_error");
        assertThat(created(shop.post("/v1/payments", cardPayment(800, "4000000000000259"), key())))
                .containsEntry("status", "pending");
        String review = (String) created(shop.post("/v1/payments", cardPayment(800, "4000000000004954"), key())).get("id");
        assertThat(ok(shop.post("/v1/payments/" + review + "/cancel", "{}", key()), "Payment")).containsEntry("status", "canceled");
    }

    @Test
    void heldPaymentsAreListedForReviewAndReviewersDecideWithAnAudit() {
        MerchantClient fresh = MerchantClient.newMerchant(Fleet.running(), "Review Shop");
        String approvedId = (String) created(fresh.post("/v1/payments", cardPayment(1300, "4000000000004954"), key())).get("id");
        String rejectedId = (String) created(fresh.post("/v1/payments", cardPayment(1400, "4000000000004954"), key())).get("id");
        assertThat(ids(ok(fresh.get("/v1/reviews"), "PaymentList"))).containsExactly(rejectedId, approvedId);
        long auditRowsBefore = auditRows(fresh);

        Map<String, Object> approved = ok(fresh.post("/v1/reviews/" + approvedId + "/approve",
                "{\"reviewer\": \"alice@shop.example\", \"note\": \"known customer\"}", key()), "Payment");
        assertThat(approved).containsEntry("status", "captured").containsEntry("amount_captured", 1300);
        assertThat(authorizationsAtTheAcquirer(fresh)).as("approval sent it to the acquirer").isEqualTo(1);

        assertThat(ok(fresh.post("/v1/reviews/" + rejectedId + "/reject", "{}", key()), "Payment"))
                .containsEntry("status", "canceled");
        assertThat(authorizationsAtTheAcquirer(fresh)).as("a rejected payment never reaches the acquirer").isEqualTo(1);
        assertThat(ids(ok(fresh.get("/v1/reviews"), "PaymentList"))).isEmpty();

        error(fresh.post("/v1/reviews/" + approvedId + "/approve", "{}", key()), 409, "invalid_request_error",
                "payment_unexpected_state");
        assertThat(error(fresh.post("/v1/reviews/" + approvedId + "/approve", "{\"reviewer\": \"\"}", key()), 400,
                "invalid_request_error", null)).containsEntry("param", "reviewer");
        error(other.post("/v1/reviews/" + rejectedId + "/reject", "{}", key()), 404, "invalid_request_error", "resource_missing");
        assertThat(auditRows(fresh) - auditRowsBefore).as("each decision audited, even the refused ones")
                .isGreaterThanOrEqualTo(2);
    }

    private static long auditRows(MerchantClient merchant) {
        HttpResponse<String> verified = merchant.operatorGet(FleetMember.GATEWAY, "/internal/v1/audit/verify");
        assertThat(verified.body()).contains("\"findings\":[]");
        return ((Number) json(verified.body()).get("rows")).longValue();
    }

    @Test
    void currenciesFollowIso4217Exponents() {
        Map<String, Object> yen = created(shop.post("/v1/payments", cardPayment(500, VISA).replace("EUR", "JPY"), key()));
        assertThat(yen).containsEntry("currency", "JPY").containsEntry("amount", 500).containsEntry("status", "captured");
        assertThat(created(shop.post("/v1/payments", cardPayment(1230, VISA).replace("EUR", "BHD"), key())))
                .containsEntry("currency", "BHD");
        assertThat(error(shop.post("/v1/payments", cardPayment(1235, VISA).replace("EUR", "BHD"), key()), 400,
                "invalid_request_error", "parameter_invalid")).containsEntry("param", "amount");
        assertThat(error(shop.post("/v1/payments", cardPayment(100, VISA).replace("EUR", "EURO"), key()), 400,
                "invalid_request_error", null)).containsEntry("param", "currency");
        assertThat(error(shop.post("/v1/payments", cardPayment(100, VISA).replace("EUR", "ABC"), key()), 400,
                "invalid_request_error", null)).containsEntry("param", "currency");
    }

    @Test
    void malformedInputIsA400NamingTheFieldAndNeverA500() {
        String valid = cardPayment(100, VISA);
        Map<String, String> cases = Map.ofEntries(
                Map.entry(valid.replace("\"amount\": 100", "\"amount\": \"100\""), "amount"),
                Map.entry(valid.replace("\"amount\": 100", "\"amount\": 100000000"), "amount"),
                Map.entry(valid.replace("\"amount\": 100", "\"amount\": 1.5"), "amount"),
                Map.entry(valid.replace("\"amount\": 100,", "\"amount\": 100, \"tip\": 5,"), "tip"),
                Map.entry(valid.replace("\"exp_month\": 12", "\"exp_month\": 0"), "payment_method.card.exp_month"),
                Map.entry(valid.replace("\"exp_year\": 2030", "\"exp_year\": 2020"), "payment_method.card.exp_year"),
                Map.entry(valid.replace(VISA, "4242424242424243"), "payment_method.card.number"),
                Map.entry(valid.replace("\"cvc\": \"123\"", "\"cvc\": \"12\""), "payment_method.card.cvc"),
                Map.entry(valid.replace("\"currency\"", "\"reference\": \"" + "r".repeat(129) + "\", \"currency\""), "reference"),
                Map.entry(valid.replace("\"currency\"", "\"description\": \"" + "d".repeat(501) + "\", \"currency\""), "description"),
                Map.entry(valid.replace("\"currency\"", "\"metadata\": {\"k\": \"" + "v".repeat(501) + "\"}, \"currency\""), "metadata.k"),
                Map.entry(valid.replace("\"currency\"", "\"metadata\": " + manyKeys(21) + ", \"currency\""), "metadata"),
                Map.entry(valid.replace("\"currency\"", "\"capture_method\": \"later\", \"currency\""), "capture_method"));
        cases.forEach((body, param) -> assertThat(error(shop.post("/v1/payments", body, null), 400,
                "invalid_request_error", null)).as(body).containsEntry("param", param));
        error(shop.post("/v1/payments", "{\"amount\": ", null), 400, "invalid_request_error", "invalid_json");
        error(shop.post("/v1/payments", "[]", null), 400, "invalid_request_error", null);
        error(shop.send(shop.request("/v1/payments").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(valid))), 415, "invalid_request_error", null);
        error(shop.post("/v1/payments", valid.replace("\"currency\"", "\"description\": \"" + "x".repeat(17_000)
                + "\", \"currency\""), null), 413, "invalid_request_error", "request_too_large");
        assertThat(error(shop.post("/v1/payments", valid, "k".repeat(256)), 400, "invalid_request_error", null))
                .containsEntry("param", "Idempotency-Key");
    }

    private static String manyKeys(int count) {
        StringBuilder keys = new StringBuilder("{");
        for (int i = 0; i < count; i++) {
            keys.append(i == 0 ? "" : ", ").append("\"k").append(i).append("\": \"v\"");
        }
        return keys.append('}').toString();
    }

    @Test
    void tokensPayForTheirOwnMerchantOnlyWithStableFingerprints() {
        HttpResponse<String> token = shop.post("/v1/tokens",
                "{\"card\": {\"number\": \"5555555555554444\", \"exp_month\": 11, \"exp_year\": 2031, \"cvc\": \"321\"}}", key());
        assertThat(token.statusCode()).as(token.body()).isEqualTo(201);
        assertMatches("Token", token.body());
        Map<String, Object> tok = json(token.body());
        Map<String, Object> card = map(tok.get("card"));
        assertThat(card).containsEntry("brand", "mastercard").containsEntry("last4", "4444");
        assertThat(token.body()).doesNotContain("5555555555554444");

        Map<String, Object> paid = created(shop.post("/v1/payments", """
                {"amount": 2500, "currency": "EUR", "payment_method": {"type": "card_token", "token": "%s"}}"""
                .formatted(tok.get("id")), key()));
        assertThat(paid).containsEntry("status", "captured");
        assertThat(((Map<?, ?>) paid.get("card")).get("fingerprint")).isEqualTo(card.get("fingerprint"));
        Map<String, Object> direct = created(shop.post("/v1/payments", cardPayment(100, "5555555555554444"), key()));
        assertThat(((Map<?, ?>) direct.get("card")).get("fingerprint")).as("same card, same merchant").isEqualTo(card.get("fingerprint"));
        Map<String, Object> elsewhere = created(other.post("/v1/payments", cardPayment(100, "5555555555554444"), key()));
        assertThat(((Map<?, ?>) elsewhere.get("card")).get("fingerprint")).as("same card, another merchant")
                .isNotEqualTo(card.get("fingerprint"));

        Map<String, Object> refused = error(other.post("/v1/payments", """
                {"amount": 2500, "currency": "EUR", "payment_method": {"type": "card_token", "token": "%s"}}"""
                .formatted(tok.get("id")), key()), 400, "invalid_request_error", "resource_missing");
        assertThat(refused).containsEntry("param", "payment_method.token");
    }

    @Test
    void rateLimitAnswers429WithRetryAfter() {
        MerchantClient limited = MerchantClient.newMerchant(Fleet.running(), "Limited Shop");
        HttpResponse<String> set = limited.operator(FleetMember.GATEWAY, HttpRequest.newBuilder()
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"per_second\": 1, \"burst\": 2}")),
                "/internal/v1/merchants/" + limited.merchantId() + "/rate_limit");
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        limited.accessToken();
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            answers.add(limited.get("/v1/payments"));
        }
        HttpResponse<String> refused = answers.stream().filter(a -> a.statusCode() == 429).findFirst().orElseThrow();
        error(refused, 429, "rate_limit_error", "rate_limit_exceeded");
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(answers.stream().filter(a -> a.statusCode() == 200).count()).isBetween(2L, 3L);
    }

    @Test
    void openApiDocumentIsServedWithoutAuthentication() throws Exception {
        HttpResponse<String> document = shop.sendAs(null, shop.request("/v1/openapi.json").GET());
        assertThat(document.statusCode()).isEqualTo(200);
        assertThat(document.body()).isEqualTo(java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "openapi.json")));
    }
}
