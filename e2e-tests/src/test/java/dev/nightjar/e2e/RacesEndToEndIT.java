package dev.nightjar.e2e;

import static dev.nightjar.e2e.MerchantClient.cardPayment;
import static dev.nightjar.e2e.MerchantClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.contracts.json.Json;
import dev.nightjar.platform.FleetMember;
import dev.nightjar.testsupport.Await;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Requests racing for one payment get the same answers whatever the timing: a capture or cancel is
 * claimed before the acquirer is asked, so exactly one of several reaches the acquirer and every other is a
 * 409 naming the payment's status; the request that claimed a capture whose answer was lost may ask again
 * with its Idempotency-Key and finishes it, while any other request is refused until then.
 */
@ExtendWith(Fleet.class)
class RacesEndToEndIT {

    private static final String VISA = "4242424242424242";

    @AfterEach
    void heal() {
        for (FleetMember acquirer : List.of(FleetMember.ACQUIRER_A, FleetMember.ACQUIRER_B)) {
            faults(acquirer, null);
        }
    }

    private static void faults(FleetMember acquirer, String settings) {
        HttpRequest.Builder request = settings == null ? HttpRequest.newBuilder().DELETE()
                : HttpRequest.newBuilder().header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(settings));
        HttpResponse<String> answer = new MerchantClient(Fleet.running()).operator(acquirer, request, "/admin/faults");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }

    /** A manual-capture payment, authorized; returns its id and the acquirer that holds it. */
    private static Map.Entry<String, FleetMember> authorized(MerchantClient shop, long amount) {
        HttpResponse<String> paid = shop.post("/v1/payments", cardPayment(amount, VISA)
                .replace("\"currency\"", "\"capture_method\": \"manual\", \"currency\""), null);
        assertThat(json(paid.body())).as(paid.body()).containsEntry("status", "authorized");
        String id = (String) json(paid.body()).get("id");
        FleetMember acquirer = operations(shop, FleetMember.ACQUIRER_A, null).isEmpty() ? FleetMember.ACQUIRER_B
                : FleetMember.ACQUIRER_A;
        return Map.entry(id, acquirer);
    }

    /** The acquirer's records of this merchant, of one operation (or all). */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> operations(MerchantClient shop, FleetMember acquirer, String operation) {
        HttpResponse<String> answer = shop.operatorGet(acquirer, "/admin/records?merchant_id=" + shop.merchantId());
        List<Map<String, Object>> records = Json.MAPPER.readValue(answer.body(), List.class);
        return records.stream().filter(r -> operation == null || operation.equals(r.get("operation"))).toList();
    }

    /** Sends every request at the same moment; returns the answers in order. */
    private static List<HttpResponse<String>> together(List<Callable<HttpResponse<String>>> requests) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Callable<HttpResponse<String>> request : requests) {
                answers.add(clients.submit(() -> {
                    start.await();
                    return request.call();
                }));
            }
            start.countDown();
            List<HttpResponse<String>> done = new ArrayList<>();
            for (Future<HttpResponse<String>> answer : answers) {
                done.add(answer.get());
            }
            return done;
        }
    }

    @Test
    void concurrentCapturesWithDifferentKeysCaptureOnceAndEveryOtherIsAConflict() throws Exception {
        MerchantClient shop = MerchantClient.newMerchant(Fleet.running(), "Capture Race Shop");
        Map.Entry<String, FleetMember> payment = authorized(shop, 4000);
        List<Callable<HttpResponse<String>>> captures = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String key = "capture-race-" + i + "-" + payment.getKey();
            captures.add(() -> shop.post("/v1/payments/" + payment.getKey() + "/capture", "{\"amount\": 3000}", key));
        }
        List<HttpResponse<String>> answers = together(captures);
        assertThat(answers.stream().filter(a -> a.statusCode() == 200)).as("one capture wins").hasSize(1);
        for (HttpResponse<String> answer : answers) {
            if (answer.statusCode() != 200) {
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(409);
                assertThat(answer.body()).contains("payment_unexpected_state").contains("cannot be captured");
            }
        }
        assertThat(json(shop.get("/v1/payments/" + payment.getKey()).body()))
                .containsEntry("status", "captured").containsEntry("amount_captured", 3000);
        assertThat(operations(shop, payment.getValue(), "capture")).as("one capture reached the acquirer").hasSize(1);
    }

    @Test
    void aCancelRacingACaptureIsAConflictAndOnlyOneOfThemReachesTheAcquirer() throws Exception {
        MerchantClient shop = MerchantClient.newMerchant(Fleet.running(), "Cancel Race Shop");
        Map.Entry<String, FleetMember> payment = authorized(shop, 2500);
        List<HttpResponse<String>> answers = together(List.of(
                () -> shop.post("/v1/payments/" + payment.getKey() + "/capture", "{}", "race-capture-" + payment.getKey()),
                () -> shop.post("/v1/payments/" + payment.getKey() + "/cancel", "{}", "race-cancel-" + payment.getKey())));
        assertThat(answers).extracting(HttpResponse::statusCode).containsExactlyInAnyOrder(200, 409);
        HttpResponse<String> loser = answers.stream().filter(a -> a.statusCode() == 409).findFirst().orElseThrow();
        assertThat(loser.body()).contains("payment_unexpected_state");
        String status = (String) json(shop.get("/v1/payments/" + payment.getKey()).body()).get("status");
        assertThat(status).isIn("captured", "canceled");
        List<Map<String, Object>> acted = new ArrayList<>(operations(shop, payment.getValue(), "capture"));
        acted.addAll(operations(shop, payment.getValue(), "void"));
        assertThat(acted).as("only the winner reached the acquirer, and it was not declined").hasSize(1)
                .allSatisfy(record -> assertThat(record.get("outcome")).isEqualTo("approved"));
    }

    @Test
    void aCaptureWhoseAnswerWasLostIsFinishedByTheSameRequestAndRefusedToAnyOther() {
        MerchantClient shop = MerchantClient.newMerchant(Fleet.running(), "Lost Answer Shop");
        Map.Entry<String, FleetMember> payment = authorized(shop, 5000);
        String path = "/v1/payments/" + payment.getKey() + "/capture";
        String key = "capture-lost-" + payment.getKey();
        faults(payment.getValue(), "{\"timeout_rate\": 1.0}");
        HttpResponse<String> lost = shop.post(path, "{\"amount\": 4500}", key);
        assertThat(lost.statusCode()).as(lost.body()).isEqualTo(503);
        assertThat(lost.headers().firstValue("Retry-After")).isPresent();
        assertThat(json(shop.get("/v1/payments/" + payment.getKey()).body())).as("the hold stays until the answer is known")
                .containsEntry("status", "authorized");

        HttpResponse<String> other = shop.post(path, "{\"amount\": 4500}", "capture-other-" + payment.getKey());
        assertThat(other.statusCode()).as(other.body()).isEqualTo(409);
        assertThat(other.body()).contains("a capture is in progress");

        faults(payment.getValue(), null);
        HttpResponse<String> finished = Await.until("the same capture, asked again, finished", Duration.ofSeconds(60), () -> {
            HttpResponse<String> again = shop.post(path, "{\"amount\": 4500}", key);
            return again.statusCode() == 200 ? again : null;
        });
        assertThat(json(finished.body())).containsEntry("status", "captured").containsEntry("amount_captured", 4500);
        assertThat(operations(shop, payment.getValue(), "capture").stream().filter(r -> "approved".equals(r.get("outcome"))))
                .as("captured once at the acquirer, whatever the number of tries").hasSize(1);
    }
}
