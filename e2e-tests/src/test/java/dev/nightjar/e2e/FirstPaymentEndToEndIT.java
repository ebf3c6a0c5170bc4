package dev.nightjar.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.contracts.json.Json;
import dev.nightjar.platform.FleetMember;
import dev.nightjar.testsupport.Await;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** One payment through every hop of the real fleet: gateway, vault, transaction, risk, auth, acquirer, Kafka, ledger. */
@ExtendWith(Fleet.class)
class FirstPaymentEndToEndIT {

    private static MerchantClient client;

    @BeforeAll
    static void merchant() {
        client = new MerchantClient(Fleet.running());
    }

    @Test
    void tokenEndpointGrantsTheRequestedScopes() {
        HttpResponse<String> response = client.token("payments:read payments:write");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(MerchantClient.json(response.body()))
                .containsEntry("token_type", "Bearer").containsEntry("expires_in", 3600)
                .containsEntry("scope", "payments:read payments:write");
    }

    @Test
    void approvedCardIsCapturedAndReadableAndBookedInTheLedger() {
        HttpResponse<String> created = client.post("/v1/payments", MerchantClient.cardPayment(1999, "4242424242424242"),
                "e2e-first-" + System.nanoTime());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        Map<String, Object> payment = MerchantClient.json(created.body());
        assertThat(payment).containsEntry("status", "captured").containsEntry("amount", 1999)
                .containsEntry("amount_captured", 1999).containsEntry("currency", "EUR");
        assertThat(created.body()).doesNotContain("4242424242424242");
        String id = (String) payment.get("id");

        HttpResponse<String> read = client.get("/v1/payments/" + id);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(MerchantClient.json(read.body())).containsEntry("status", "captured").containsEntry("id", id);

        List<Map<String, Object>> entries = Await.until("the ledger entry for " + id, Duration.ofSeconds(30), () -> {
            List<Map<String, Object>> found = ledgerEntries(id);
            return found.isEmpty() ? null : found;
        });
        assertThat(entries).hasSize(1);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> postings = (List<Map<String, Object>>) entries.get(0).get("postings");
        long sum = postings.stream().mapToLong(posting -> ((Number) posting.get("amount_minor")).longValue()).sum();
        assertThat(sum).as("debits equal credits").isZero();
        assertThat(postings).anySatisfy(posting -> assertThat(posting)
                .containsEntry("account", "merchant_payable:" + client.merchantId() + ":EUR")
                .containsEntry("amount_minor", -1971));
        assertThat(postings).as("Nightjar's fee, 1.40% by default").anySatisfy(posting -> assertThat(posting)
                .containsEntry("account", "fee_revenue:nightjar:EUR")
                .containsEntry("amount_minor", -28));
    }

    @Test
    void insufficientFundsCardIsDeclinedWithItsCode() {
        HttpResponse<String> created = client.post("/v1/payments", MerchantClient.cardPayment(500, "4000000000009995"), null);
        assertThat(created.statusCode()).isEqualTo(201);
        Map<String, Object> payment = MerchantClient.json(created.body());
        assertThat(payment).containsEntry("status", "declined");
        assertThat(payment.get("failure")).isEqualTo(Map.of("code", "card_declined", "decline_code", "insufficient_funds",
                "message", "The card was declined."));
    }

    @Test
    void everyDeclineTestCardComesBackDeclinedWithItsCode() {
        Map<String, String> cards = Map.of(
                "4000000000000002", "do_not_honor", "4000000000009987", "lost_card",
                "4000000000009979", "stolen_card", "4000000000000069", "expired_card",
                "4000000000000127", "incorrect_cvc");
        cards.forEach((number, code) -> {
            Map<String, Object> payment = MerchantClient.json(
                    client.post("/v1/payments", MerchantClient.cardPayment(700, number), null).body());
            assertThat(payment.get("status")).as(number).isEqualTo("declined");
            assertThat(((Map<?, ?>) payment.get("failure")).get("decline_code")).as(number).isEqualTo(code);
        });
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> ledgerEntries(String paymentId) {
        HttpResponse<String> response = client.operatorGet(FleetMember.LEDGER,
                "/internal/v1/entries?merchant_id=" + client.merchantId() + "&payment_id=" + paymentId);
        return Json.MAPPER.readValue(response.body(), List.class);
    }
}
