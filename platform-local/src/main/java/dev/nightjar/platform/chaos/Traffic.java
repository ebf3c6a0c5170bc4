package dev.nightjar.platform.chaos;

import dev.nightjar.contracts.contract.PaymentStatus;
import dev.nightjar.contracts.json.Json;
import dev.nightjar.platform.MerchantApi;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Open-loop payment traffic: a new customer journey every {@code 1/rate} seconds, whatever happens to the
 * earlier ones, spread over several merchants (both shards). A journey pays with a card from a mix
 * (approved, declined, the acquirer-timeout card), and some go on to a refund, a manual capture or a cancel.
 * Each request carries its own Idempotency-Key and is sent again with the same key, as a well-behaved
 * integration would, after a 503, a 429, a key still in flight, or no answer at all: after Retry-After at
 * the least, backing off exponentially (1 s doubling to 16 s, with jitter) so a crowd of clients does not
 * hammer a platform that is coming back, until it is answered or {@code patience} has passed. While a
 * fault is on the clients wait it out, as an integration waits out a provider's announced outage: a request
 * gets fast 503s with {@code Retry-After} then, and is given up on only once its patience has passed and the
 * broken part has been back for as long as the platform promises to need ({@link #patientUntil}).
 */
final class Traffic implements AutoCloseable {

    /** The cards the journeys pay with, as the simulator lists them. */
    record Cards(String approved, String approved2, String declined, String timeout) {

        static Cards of(dev.nightjar.platform.TestCards listed) {
            return new Cards(listed.require("approved", "visa"), listed.require("approved", "mastercard"),
                    listed.require("declined", "visa"), listed.require("timeout", "visa"));
        }
    }
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(16);

    /** What a journey does after its payment: nothing more, a refund, a manual capture, or a cancel. */
    enum Journey { SALE, SALE_THEN_REFUND, MANUAL_THEN_CAPTURE, MANUAL_THEN_CANCEL, DECLINE, ACQUIRER_TIMEOUT }

    /** One journey in twenty of each kind, by weight: mostly sales, as at a real merchant. */
    private static final List<Journey> MIX = List.of(
            Journey.SALE, Journey.SALE, Journey.SALE, Journey.SALE, Journey.SALE, Journey.SALE, Journey.SALE,
            Journey.SALE_THEN_REFUND, Journey.SALE_THEN_REFUND, Journey.SALE_THEN_REFUND,
            Journey.MANUAL_THEN_CAPTURE, Journey.MANUAL_THEN_CAPTURE, Journey.MANUAL_THEN_CAPTURE,
            Journey.MANUAL_THEN_CANCEL, Journey.MANUAL_THEN_CANCEL,
            Journey.DECLINE, Journey.DECLINE, Journey.DECLINE,
            Journey.ACQUIRER_TIMEOUT, Journey.ACQUIRER_TIMEOUT);

    private final List<MerchantApi> merchants;
    private final double ratePerSecond;
    private final Duration patience;
    private final Cards cards;
    private final Observations seen;
    private final String runId;
    private final AtomicBoolean running = new AtomicBoolean();
    /** No request is given up on before this instant (System.nanoTime): see {@link #patientUntil}. */
    private volatile long patientUntilNanos = Long.MIN_VALUE;
    private final AtomicLong started = new AtomicLong();
    private final ExecutorService journeys = Executors.newVirtualThreadPerTaskExecutor();
    private Thread scheduler;

    Traffic(List<MerchantApi> merchants, Cards cards, double ratePerSecond, Duration patience, Observations seen,
            String runId) {
        this.merchants = List.copyOf(merchants);
        this.cards = cards;
        this.ratePerSecond = ratePerSecond;
        this.patience = patience;
        this.seen = seen;
        this.runId = runId;
    }

    /** Starts sending journeys at the fixed rate. */
    void start() {
        running.set(true);
        long periodNanos = (long) (1_000_000_000L / ratePerSecond);
        scheduler = Thread.ofPlatform().name("chaos-traffic").start(() -> {
            long next = System.nanoTime();
            while (running.get()) {
                long n = started.getAndIncrement();
                long intended = next;
                journeys.submit(() -> journey(n, intended));
                next += periodNanos;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    try {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        });
    }

    /** Stops starting journeys and waits (up to {@code patience} and a little) for those under way. */
    void stop() throws InterruptedException {
        running.set(false);
        if (patientUntilNanos == Long.MAX_VALUE) {
            // a fault that was never healed: the clients' own patience rules again
            patientUntilNanos = Long.MIN_VALUE;
        }
        if (scheduler != null) {
            scheduler.join();
        }
        journeys.shutdown();
        journeys.awaitTermination(patience.toSeconds() + 30, TimeUnit.SECONDS);
    }

    /** The fault is on: no request is given up on until {@link #patientUntil} is called with an instant. */
    void waitOut() {
        patientUntilNanos = Long.MAX_VALUE;
    }

    /** No request is given up on before {@code nanos} (System.nanoTime): the broken part's return and the bound. */
    void patientUntil(long nanos) {
        patientUntilNanos = nanos;
    }

    long journeysStarted() {
        return started.get();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private void journey(long n, long intendedNanos) {
        MerchantApi merchant = merchants.get((int) (n % merchants.size()));
        Journey kind = MIX.get((int) (n % MIX.size()));
        long deadline = intendedNanos + patience.toNanos();
        long amount = 500 + (n * 37) % 9000;
        String card = switch (kind) {
            case DECLINE -> cards.declined();
            case ACQUIRER_TIMEOUT -> cards.timeout();
            default -> n % 2 == 0 ? cards.approved() : cards.approved2();
        };
        boolean manual = kind == Journey.MANUAL_THEN_CAPTURE || kind == Journey.MANUAL_THEN_CANCEL;
        String body = """
                {"amount": %d, "currency": "EUR", "capture_method": "%s", "reference": "chaos-%s-%d",
                 "payment_method": {"type": "card", "card": {"number": "%s", "exp_month": 12, "exp_year": 2030, "cvc": "123"}}}"""
                .formatted(amount, manual ? "manual" : "automatic", runId, n, card);
        Map<String, Object> payment = send(merchant, "payment", "/v1/payments", body, key(n, "pay"), deadline, null);
        if (payment == null) {
            return;
        }
        String paymentId = (String) payment.get("id");
        PaymentStatus status = PaymentStatus.of((String) payment.get("status"));
        switch (kind) {
            case SALE_THEN_REFUND -> {
                if (status == PaymentStatus.CAPTURED) {
                    send(merchant, "refund", "/v1/payments/" + paymentId + "/refunds",
                            "{\"amount\": " + amount / 2 + "}", key(n, "refund"), deadline, paymentId);
                }
            }
            case MANUAL_THEN_CAPTURE -> {
                if (status == PaymentStatus.AUTHORIZED) {
                    send(merchant, "capture", "/v1/payments/" + paymentId + "/capture",
                            "{\"amount\": " + (amount - amount / 4) + "}", key(n, "capture"), deadline, paymentId);
                }
            }
            case MANUAL_THEN_CANCEL -> {
                if (status == PaymentStatus.AUTHORIZED) {
                    send(merchant, "cancel", "/v1/payments/" + paymentId + "/cancel", "{}", key(n, "cancel"), deadline,
                            paymentId);
                }
            }
            default -> {
                // the payment is the whole journey
            }
        }
    }

    private String key(long n, String step) {
        return "chaos-" + runId + "-" + n + "-" + step;
    }

    /**
     * Sends one request until it is answered (2xx, or a 4xx that is final) or the journey runs out of
     * patience; records every exchange, and the acknowledged object. Returns the answer's JSON on a 2xx.
     */
    @SuppressWarnings("unchecked")
    private Map<String, Object> send(MerchantApi merchant, String operation, String path, String body, String key,
                                     long deadlineNanos, String paymentId) {
        long backoffMillis = 1_000;
        while (true) {
            long startedNanos = System.nanoTime();
            int status;
            String outcome;
            boolean retryAfter = false;
            double gatewayMillis = Double.NaN;
            double waitMillis = Double.NaN;
            Map<String, Object> answer = null;
            // full jitter over the second half of the backoff: [backoff/2, backoff)
            long jittered = backoffMillis / 2 + java.util.concurrent.ThreadLocalRandom.current().nextLong(backoffMillis / 2);
            Duration pause = Duration.ofMillis(jittered);
            try {
                HttpResponse<String> response = merchant.post(path, body, key, REQUEST_TIMEOUT);
                status = response.statusCode();
                answer = response.body().isEmpty() ? Map.of() : Json.MAPPER.readValue(response.body(), Map.class);
                outcome = status / 100 == 2 ? Integer.toString(status) : status + " " + errorCode(answer);
                var after = response.headers().firstValue("Retry-After");
                retryAfter = after.isPresent();
                List<String> serverTiming = response.headers().allValues("Server-Timing");
                gatewayMillis = serverTiming(serverTiming, "gateway");
                waitMillis = serverTiming(serverTiming, "wait");
                if (after.isPresent()) {
                    Duration asked = Duration.ofSeconds(Math.max(1, Long.parseLong(after.get().trim())));
                    pause = asked.compareTo(pause) > 0 ? asked : pause;
                }
            } catch (HttpTimeoutException e) {
                status = -1;
                outcome = "no answer in " + REQUEST_TIMEOUT.toSeconds() + " s";
            } catch (ConnectException e) {
                status = -1;
                outcome = "connection refused";
            } catch (IOException e) {
                status = -1;
                outcome = "connection lost";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            } catch (RuntimeException e) {
                status = -1;
                outcome = "unreadable answer";
            }
            seen.exchange(new Observations.Exchange(startedNanos, System.nanoTime(), operation, status, outcome, retryAfter,
                    gatewayMillis, waitMillis));
            if (status / 100 == 2) {
                String objectId = (String) answer.get("id");
                seen.ack(new Observations.Ack(objectId, paymentId == null ? objectId : paymentId, merchant.merchantId(),
                        operation, (String) answer.get("status"), System.nanoTime()));
                return answer;
            }
            boolean again = status < 0 || status == 503 || status == 429
                    || (status == 409 && "request_in_progress".equals(errorCode(answer)));
            if (!again) {
                return null;
            }
            long giveUpAt = Math.max(deadlineNanos, patientUntilNanos);
            if (giveUpAt != Long.MAX_VALUE && System.nanoTime() + pause.toNanos() > giveUpAt) {
                seen.unanswered(operation + " " + path + " (" + outcome + ")");
                return null;
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF.toMillis());
        }
    }

    /**
     * A duration the gateway reported, from {@code Server-Timing: <metric>;dur=<ms>} ({@code gateway}: its time over
     * the request; {@code wait}: the part of it before it began on the request); NaN without one.
     */
    static double serverTiming(List<String> serverTiming, String name) {
        for (String value : serverTiming) {
            for (String metric : value.split(",")) {
                String[] parts = metric.strip().split(";");
                if (parts[0].strip().equals(name)) {
                    for (String parameter : parts) {
                        String p = parameter.strip();
                        if (p.startsWith("dur=")) {
                            try {
                                return Double.parseDouble(p.substring(4));
                            } catch (NumberFormatException e) {
                                return Double.NaN;
                            }
                        }
                    }
                }
            }
        }
        return Double.NaN;
    }

    @SuppressWarnings("unchecked")
    private static String errorCode(Map<String, Object> answer) {
        if (answer != null && answer.get("error") instanceof Map<?, ?> error) {
            return String.valueOf(((Map<String, Object>) error).get("code"));
        }
        return "(not the error shape)";
    }
}
