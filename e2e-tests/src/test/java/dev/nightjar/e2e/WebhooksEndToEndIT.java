package dev.nightjar.e2e;

import static dev.nightjar.e2e.MerchantClient.cardPayment;
import static dev.nightjar.e2e.MerchantClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.platform.FleetMember;
import dev.nightjar.testsupport.Await;
import dev.nightjar.testsupport.WebhookReceiver;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Webhooks from a real payment to a merchant's real HTTPS endpoint (certificate from the platform's CA):
 * signed as API.md says, one per state change, and not lost when the gateway is killed mid-stream.
 */
@ExtendWith(Fleet.class)
class WebhooksEndToEndIT {

    private static WebhookReceiver receiver;
    private static MerchantClient shop;
    private static String secret;

    @BeforeAll
    static void endpoint() {
        receiver = new WebhookReceiver(Fleet.running().platform().layout().tls());
        shop = MerchantClient.newMerchant(Fleet.running(), "Webhook Shop");
        HttpResponse<String> created = shop.post("/v1/webhook_endpoints", """
                {"url": "%s", "events": ["payment.captured", "payment.authorized", "payment.declined", "payment.canceled",
                 "refund.succeeded"]}""".formatted(receiver.url("/nightjar/events")), null);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        ApiSchemas.assertMatches("WebhookEndpoint", created.body());
        secret = (String) json(created.body()).get("secret");
    }

    @AfterAll
    static void stop() {
        receiver.close();
    }

    private static Map<String, Object> event(String paymentOrRefundId, String type) {
        WebhookReceiver.Received received = receiver.await(body -> body.contains("\"" + paymentOrRefundId + "\"")
                && body.contains("\"type\":\"" + type + "\""), Duration.ofSeconds(60));
        assertThat(WebhookReceiver.verify(secret, received.signature(), received.body(), Duration.ofMinutes(5)))
                .as("signature of %s", received.body()).isTrue();
        ApiSchemas.assertMatches("Event", received.body());
        return json(received.body());
    }

    @Test
    void everyStateChangeArrivesSignedWithTheObjectAsItWasThen() {
        HttpResponse<String> paid = shop.post("/v1/payments", cardPayment(1500, "4242424242424242")
                .replace("\"currency\"", "\"capture_method\": \"manual\", \"currency\""), null);
        String id = (String) json(paid.body()).get("id");
        Map<?, ?> authorized = (Map<?, ?>) ((Map<?, ?>) event(id, "payment.authorized").get("data")).get("object");
        assertThat(authorized.get("status")).isEqualTo("authorized");
        shop.post("/v1/payments/" + id + "/capture", "{\"amount\": 1000}", null);
        Map<?, ?> captured = (Map<?, ?>) ((Map<?, ?>) event(id, "payment.captured").get("data")).get("object");
        assertThat(captured.get("amount_captured")).isEqualTo(1000);
        HttpResponse<String> refund = shop.post("/v1/payments/" + id + "/refunds", "{\"amount\": 400}", null);
        String refundId = (String) json(refund.body()).get("id");
        Map<?, ?> refunded = (Map<?, ?>) ((Map<?, ?>) event(refundId, "refund.succeeded").get("data")).get("object");
        assertThat(refunded.get("payment")).isEqualTo(id);
        assertThat(refunded.get("amount")).isEqualTo(400);

        String declined = (String) json(shop.post("/v1/payments", cardPayment(700, "4000000000000002"), null).body()).get("id");
        assertThat(((Map<?, ?>) ((Map<?, ?>) event(declined, "payment.declined").get("data")).get("object"))
                .get("failure")).asString().contains("do_not_honor");
    }

    @Test
    void eventsAreNotLostWhenTheGatewayIsKilled() throws Exception {
        HttpResponse<String> paid = shop.post("/v1/payments", cardPayment(900, "4242424242424242")
                .replace("\"currency\"", "\"capture_method\": \"manual\", \"currency\""), null);
        String id = (String) json(paid.body()).get("id");
        event(id, "payment.authorized");
        // the receiver fails for a while, so the delivery is still pending when the gateway dies
        receiver.failNext(1);
        HttpResponse<String> canceled = shop.post("/v1/payments/" + id + "/cancel", "{}", null);
        assertThat(canceled.statusCode()).as(canceled.body()).isEqualTo(200);
        Await.until("the first, failing, attempt", Duration.ofSeconds(60), () -> receiver.received().stream()
                .anyMatch(r -> r.body().contains(id) && r.body().contains("payment.canceled")));
        ProcessHandle gateway = Fleet.running().platform().process(FleetMember.GATEWAY).orElseThrow();
        gateway.destroyForcibly();
        gateway.onExit().get();
        Fleet.running().platform().up();
        // The failed attempt is already there; wait for the retry the restarted gateway makes.
        Await.until("the retry after the restart", Duration.ofSeconds(60), () -> receiver.received().stream()
                .filter(r -> r.body().contains(id) && r.body().contains("payment.canceled")).count() >= 2 ? true : null);
        Map<String, Object> event = event(id, "payment.canceled");
        assertThat(event.get("type")).isEqualTo("payment.canceled");
    }
}
