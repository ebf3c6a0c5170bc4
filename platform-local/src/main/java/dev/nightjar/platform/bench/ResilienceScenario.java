package dev.nightjar.platform.bench;

import dev.nightjar.contracts.contract.NetworkAnswer;
import dev.nightjar.contracts.contract.PaymentStatus;
import dev.nightjar.contracts.json.Json;
import dev.nightjar.platform.AcquirerFaults;
import dev.nightjar.platform.FleetMember;
import dev.nightjar.platform.MerchantApi;
import dev.nightjar.platform.Platform;
import dev.nightjar.platform.PlatformClient;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code ./nightjar scenario}: payments through an outage of acquirer-a, its recovery and a spell of
 * timeouts, on the running local platform, for a merchant of its own. Prints each phase's outcomes, the
 * pending payments' final states, and the simulators' charge records: one approved charge per captured
 * payment, or it says otherwise and exits non-zero.
 */
public final class ResilienceScenario {

    private final Platform platform;
    private final PrintStream out;
    private final String card;
    private final PlatformClient operator;
    private MerchantApi merchant;

    /** @param card an approved test card, as the simulator lists it */
    public ResilienceScenario(Platform platform, PrintStream out, String card) {
        this.platform = platform;
        this.out = out;
        this.card = card;
        this.operator = new PlatformClient(platform.layout());
    }

    /** Runs the scenario; true when every captured payment was charged exactly once. */
    @SuppressWarnings("unchecked")
    public boolean run() throws IOException, InterruptedException {
        merchant = MerchantApi.newMerchant(platform, MerchantApi.client(platform), "Resilience scenario " + Instant.now());
        String merchantId = merchant.merchantId();
        out.println("merchant " + merchantId);
        Map<String, String> finalStatus = new LinkedHashMap<>();
        try {
            faults(FleetMember.ACQUIRER_A, null);
            phase("1. both acquirers healthy", 10, Duration.ZERO, finalStatus);
            faults(FleetMember.ACQUIRER_A, "{\"outage\": true}");
            phase("2. acquirer-a down (outage)", 20, Duration.ZERO, finalStatus);
            faults(FleetMember.ACQUIRER_A, null);
            phase("3. acquirer-a back (the breaker lets it in again)", 20, Duration.ofMillis(500), finalStatus);
            faults(FleetMember.ACQUIRER_A, "{\"timeout_rate\": 0.5}");
            phase("4. acquirer-a times out half the time", 10, Duration.ZERO, finalStatus);
        } finally {
            faults(FleetMember.ACQUIRER_A, null);
        }
        out.println("waiting for pending payments to be resolved by inquiries...");
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (finalStatus.containsValue(PaymentStatus.PENDING.wire()) && Instant.now().isBefore(deadline)) {
            Thread.sleep(2000);
            for (Map.Entry<String, String> payment : finalStatus.entrySet()) {
                if (PaymentStatus.of(payment.getValue()) == PaymentStatus.PENDING) {
                    payment.setValue((String) Json.MAPPER.readValue(merchant.get("/v1/payments/" + payment.getKey(),
                            Duration.ofSeconds(30)).body(), Map.class).get("status"));
                }
            }
        }
        Map<String, Integer> outcomes = new TreeMap<>();
        finalStatus.values().forEach(status -> outcomes.merge(status, 1, Integer::sum));
        out.println("final states of all " + finalStatus.size() + " payments: " + outcomes);
        long captured = finalStatus.values().stream().filter(status -> PaymentStatus.of(status) == PaymentStatus.CAPTURED).count();
        long charges = 0;
        for (FleetMember acquirer : List.of(FleetMember.ACQUIRER_A, FleetMember.ACQUIRER_B)) {
            List<Map<String, Object>> records = Json.MAPPER.readValue(operator.get("https://localhost:"
                    + platform.layout().ports().service(acquirer) + "/admin/records?merchant_id=" + merchantId,
                    Duration.ofSeconds(10)).body(), List.class);
            Map<String, Integer> byOutcome = new TreeMap<>();
            records.forEach(r -> byOutcome.merge(r.get("operation") + " " + r.get("outcome"), 1, Integer::sum));
            long approved = records.stream().filter(r -> List.of("authorization", "sale").contains(r.get("operation"))
                    && NetworkAnswer.of((String) r.get("outcome")) == NetworkAnswer.APPROVED).count();
            long distinct = records.stream().map(r -> r.get("reference")).distinct().count();
            out.printf("%s records: %s (%d references)%n", acquirer.instance(), byOutcome, distinct);
            charges += approved;
        }
        boolean ok = charges == captured;
        out.printf("captured payments %d, approved charges at the acquirers %d: %s%n", captured, charges,
                ok ? "one charge per payment" : "MISMATCH");
        return ok;
    }

    @SuppressWarnings("unchecked")
    private void phase(String name, int payments, Duration pause, Map<String, String> finalStatus)
            throws IOException, InterruptedException {
        Map<String, Integer> outcomes = new TreeMap<>();
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < payments; i++) {
            long started = System.nanoTime();
            HttpResponse<String> response = merchant.post("/v1/payments", """
                    {"amount": %d, "currency": "EUR", "payment_method": {"type": "card",
                     "card": {"number": "%s", "exp_month": 12, "exp_year": 2030, "cvc": "123"}}}""".formatted(1000 + i, card),
                    null, Duration.ofSeconds(30));
            millis.add((System.nanoTime() - started) / 1_000_000);
            Map<String, Object> payment = Json.MAPPER.readValue(response.body(), Map.class);
            String status = response.statusCode() == 201 ? (String) payment.get("status") : "HTTP " + response.statusCode();
            outcomes.merge(status, 1, Integer::sum);
            if (payment.get("id") != null) {
                finalStatus.put((String) payment.get("id"), status);
            }
            Thread.sleep(pause);
        }
        millis.sort(Long::compare);
        out.printf("%-52s %s  (latency median %d ms, max %d ms)%n", name, outcomes, millis.get(millis.size() / 2),
                millis.get(millis.size() - 1));
    }

    private void faults(FleetMember acquirer, String settings) throws IOException, InterruptedException {
        AcquirerFaults.set(platform, acquirer, settings);
    }
}
