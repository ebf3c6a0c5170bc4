package dev.nightjar.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.contracts.json.Json;
import dev.nightjar.platform.FleetMember;
import dev.nightjar.testsupport.Await;
import dev.nightjar.testsupport.WebhookReceiver;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Money from capture to payout across the fleet: a merchant's sales, a partial manual capture and a
 * refund are booked by the ledger, settled at a cut-off with acquirer-a (told to alter one report line's
 * amount and another's fee), reconciled line by line with those two as exceptions, paid out, and the
 * ledger's integrity check still passes. The payments the acquirer settled for their booked amount become
 * {@code settled} (by GET and the list's status filter) with a signed {@code payment.settled} webhook, and stay
 * refundable; the one it short-paid stays {@code captured}; the ledger books nothing for either.
 */
@ExtendWith(Fleet.class)
class SettlementEndToEndIT {

    private static final String VISA = "4242424242424242";
    private static MerchantClient client;
    private static WebhookReceiver receiver;
    private static String secret;

    @BeforeAll
    static void merchant() {
        client = MerchantClient.newMerchant(Fleet.running(), "Settlement Shop");
        receiver = new WebhookReceiver(Fleet.running().platform().layout().tls());
        HttpResponse<String> endpoint = client.post("/v1/webhook_endpoints", """
                {"url": "%s", "events": ["payment.settled"]}""".formatted(receiver.url("/settlement/events")), key());
        assertThat(endpoint.statusCode()).as(endpoint.body()).isEqualTo(201);
        secret = (String) MerchantClient.json(endpoint.body()).get("secret");
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    @Test
    void capturedMoneyIsSettledReconciledAndPaidOutWithEachDiscrepancyReported() {
        String sale1 = pay(MerchantClient.cardPayment(1999, VISA));
        String sale2 = pay(MerchantClient.cardPayment(2500, VISA));
        String manual = pay(MerchantClient.cardPayment(3000, VISA)
                .replace("\"currency\"", "\"capture_method\": \"manual\", \"currency\""));
        ok(client.post("/v1/payments/" + manual + "/capture", "{\"amount\": 2000}", key()));
        ok(client.post("/v1/payments/" + sale2 + "/refunds", "{\"amount\": 500}", key()));

        Map<String, String> captureEntry = new HashMap<>();
        for (String payment : List.of(sale1, sale2, manual)) {
            captureEntry.put(payment, Await.until("the capture entry of " + payment, Duration.ofSeconds(60),
                    () -> entryId(payment, "capture")));
        }
        String refundEntry = Await.until("the refund entry", Duration.ofSeconds(60), () -> entryId(sale2, "refund"));
        long payable = balance("merchant_payable");
        // 1.40% fees: 28 + 35 + 28; the refund returns no fee.
        assertThat(payable).isEqualTo(-(1999 - 28 + 2500 - 35 + 2000 - 28 - 500));

        String faults = """
                {"amount_delta": {"%s": -7}, "fee_delta": {"%s": 3}}""".formatted(captureEntry.get(sale1),
                captureEntry.get(manual));
        assertThat(acquirer(HttpRequest.newBuilder().PUT(HttpRequest.BodyPublishers.ofString(faults))
                .header("Content-Type", "application/json")).statusCode()).isEqualTo(200);
        Map<String, Map<String, Object>> rows;
        try {
            // The entries reach settlement-service over ledger_entries within moments; the cut-off waits for all
            // four, so they go into one batch and its payout nets the refund against the captures.
            Await.until("the four lines waiting for settlement", Duration.ofSeconds(60), () -> pendingItems() == 4);
            rows = Await.until("every line of the merchant reconciled", Duration.ofSeconds(90), () -> {
                HttpResponse<String> cutoff = client.operator(FleetMember.SETTLEMENT, HttpRequest.newBuilder()
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json"),
                        "/internal/v1/cutoffs");
                assertThat(cutoff.statusCode()).as(cutoff.body()).isEqualTo(200);
                Map<String, Map<String, Object>> mine = reconciledRows();
                return mine.keySet().containsAll(List.of(captureEntry.get(sale1), captureEntry.get(sale2),
                        captureEntry.get(manual), refundEntry)) ? mine : null;
            });
        } finally {
            acquirer(HttpRequest.newBuilder().DELETE());
        }
        assertThat(rows.get(captureEntry.get(sale1))).containsEntry("outcome", "amount_mismatch")
                .containsEntry("expected_amount_minor", 1999).containsEntry("reported_amount_minor", 1992);
        assertThat((String) rows.get(captureEntry.get(sale1)).get("action")).isNotBlank();
        assertThat(rows.get(captureEntry.get(manual))).containsEntry("outcome", "fee_mismatch")
                .containsEntry("expected_fee_minor", 18).containsEntry("reported_fee_minor", 21);
        assertThat(rows.get(captureEntry.get(sale2))).containsEntry("outcome", "matched");
        assertThat(rows.get(refundEntry)).containsEntry("outcome", "matched").containsEntry("reported_amount_minor", -500);

        // The payout empties what the merchant was owed; the 7 the acquirer kept back sits in suspense.
        Await.until("the payout", Duration.ofSeconds(60), () -> balance("merchant_payable") == 0 ? true : null);

        // Settled in full (matched, or a fee the merchant does not pay): settled, announced by a signed webhook.
        for (String settled : List.of(sale2, manual)) {
            Await.until(settled + " settled", Duration.ofSeconds(60), () -> "settled".equals(status(settled)) ? true : null);
            Map<?, ?> announced = settledWebhook(settled);
            assertThat(announced.get("status")).isEqualTo("settled");
        }
        assertThat(settledWebhook(sale2).get("amount_refunded")).isEqualTo(500);
        assertThat(settledWebhook(manual).get("amount_captured")).isEqualTo(2000);
        // Short-paid by the acquirer: not settled, and nothing announced for it.
        assertThat(status(sale1)).isEqualTo("captured");
        assertThat(receiver.received()).noneMatch(delivery -> delivery.body().contains(sale1));
        HttpResponse<String> listed = client.get("/v1/payments?status=settled&limit=100");
        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
        ApiSchemas.assertMatches("PaymentList", listed.body());
        assertThat(listed.body()).contains(sale2, manual).doesNotContain(sale1);
        assertThat(client.get("/v1/payments?status=unsettled").statusCode()).isEqualTo(400);
        // The ledger booked the settlement once, from settlement.merchant_settled: payment.settled adds no entry.
        assertThat(entryKinds(sale2)).containsExactlyInAnyOrder("capture", "refund");
        assertThat(entryKinds(manual)).containsOnly("hold", "capture").containsOnlyOnce("capture");

        // A settled payment can still be refunded; a partial refund leaves it settled.
        ok(client.post("/v1/payments/" + sale2 + "/refunds", "{\"amount\": 100}", key()));
        Map<String, Object> refunded = Await.until("the refund of the settled payment", Duration.ofSeconds(60), () -> {
            Map<String, Object> read = MerchantClient.json(client.get("/v1/payments/" + sale2).body());
            return Integer.valueOf(600).equals(read.get("amount_refunded")) ? read : null;
        });
        assertThat(refunded).containsEntry("status", "settled");

        Map<String, Object> integrity = MerchantClient.json(
                client.operatorGet(FleetMember.LEDGER, "/internal/v1/integrity").body());
        assertThat(integrity.get("findings")).asList().isEmpty();
        assertThat(integrity).containsEntry("ok", true);
    }

    private static String status(String payment) {
        HttpResponse<String> read = client.get("/v1/payments/" + payment);
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        ApiSchemas.assertMatches("Payment", read.body());
        return (String) MerchantClient.json(read.body()).get("status");
    }

    /** The payment in the signed {@code payment.settled} webhook the merchant's endpoint received for it. */
    private static Map<?, ?> settledWebhook(String payment) {
        WebhookReceiver.Received received = receiver.await(body -> body.contains("\"" + payment + "\"")
                && body.contains("\"type\":\"payment.settled\""), Duration.ofSeconds(60));
        assertThat(WebhookReceiver.verify(secret, received.signature(), received.body(), Duration.ofMinutes(5)))
                .as("signature of %s", received.body()).isTrue();
        ApiSchemas.assertMatches("Event", received.body());
        return (Map<?, ?>) ((Map<?, ?>) MerchantClient.json(received.body()).get("data")).get("object");
    }

    @SuppressWarnings("unchecked")
    private static List<String> entryKinds(String payment) {
        String body = client.operatorGet(FleetMember.LEDGER,
                "/internal/v1/entries?merchant_id=" + client.merchantId() + "&payment_id=" + payment).body();
        return ((List<Object>) Json.MAPPER.readValue(body, List.class)).stream()
                .map(e -> (String) ((Map<String, Object>) e).get("kind")).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> reconciledRows() {
        Map<String, Map<String, Object>> mine = new HashMap<>();
        Map<String, Object> batches = MerchantClient.json(
                client.operatorGet(FleetMember.SETTLEMENT, "/internal/v1/batches?limit=100").body());
        for (Object batch : (List<Object>) batches.get("data")) {
            String id = (String) ((Map<String, Object>) batch).get("id");
            String json = client.operatorGet(FleetMember.SETTLEMENT, "/internal/v1/batches/" + id + "/reconciliation").body();
            for (Object row : (List<Object>) MerchantClient.json(json).get("rows")) {
                Map<String, Object> line = (Map<String, Object>) row;
                if (client.merchantId().equals(line.get("merchant_id"))) {
                    mine.put((String) line.get("reference"), line);
                }
            }
            String csv = client.operatorGet(FleetMember.SETTLEMENT, "/internal/v1/batches/" + id + "/reconciliation?format=csv")
                    .body();
            assertThat(csv).startsWith("line_no,outcome,reference");
            mine.keySet().forEach(reference -> {
                if (json.contains(reference)) {
                    assertThat(csv).contains(reference);
                }
            });
        }
        return mine;
    }

    private static String pay(String body) {
        HttpResponse<String> created = client.post("/v1/payments", body, key());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return (String) MerchantClient.json(created.body()).get("id");
    }

    private static void ok(HttpResponse<String> response) {
        assertThat(response.statusCode() / 100).as(response.body()).isEqualTo(2);
    }

    private static String key() {
        return UUID.randomUUID().toString();
    }

    @SuppressWarnings("unchecked")
    private static String entryId(String payment, String kind) {
        String body = client.operatorGet(FleetMember.LEDGER,
                "/internal/v1/entries?merchant_id=" + client.merchantId() + "&payment_id=" + payment).body();
        List<Object> entries = new ArrayList<>(Json.MAPPER.readValue(body, List.class));
        return entries.stream().map(e -> (Map<String, Object>) e).filter(e -> kind.equals(e.get("kind")))
                .map(e -> (String) e.get("id")).findFirst().orElse(null);
    }

    @SuppressWarnings("unchecked")
    private static long balance(String kind) {
        String body = client.operatorGet(FleetMember.LEDGER, "/internal/v1/balances?merchant_id=" + client.merchantId()).body();
        return ((List<Object>) Json.MAPPER.readValue(body, List.class)).stream().map(b -> (Map<String, Object>) b)
                .filter(b -> kind.equals(b.get("kind"))).mapToLong(b -> ((Number) b.get("balance_minor")).longValue()).sum();
    }

    /** The merchant's items settlement-service holds for its next cut-off. */
    @SuppressWarnings("unchecked")
    private static long pendingItems() {
        String body = client.operatorGet(FleetMember.SETTLEMENT, "/internal/v1/pending?merchant_id=" + client.merchantId()).body();
        return ((List<Object>) Json.MAPPER.readValue(body, List.class)).stream()
                .mapToLong(pending -> ((Number) ((Map<String, Object>) pending).get("items")).longValue()).sum();
    }

    private static HttpResponse<String> acquirer(HttpRequest.Builder request) {
        return client.operator(FleetMember.ACQUIRER_A, request, "/admin/report-faults");
    }
}
