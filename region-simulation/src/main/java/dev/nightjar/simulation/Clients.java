package dev.nightjar.simulation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The merchants' integrations: payments arriving at a rate drawn from the seed, each with its own Idempotency-Key,
 * sent to the region DNS answers with, and sent again with the same key and body after a refusal or after
 * {@link Timings#CLIENT_TIMEOUT_MILLIS} without an answer, until approved or given up after
 * {@link Timings#CLIENT_GIVES_UP_AFTER_MILLIS}. Each payment's client is near one region and caches its DNS answer for
 * the record's TTL. What the clients were told (the acknowledgements) is what the invariants hold the ledgers to.
 *
 * <p>Abstracts away: declines, captures, refunds and reads; bodies that change between retries (a 409 in
 * Nightjar); HTTP connections.
 */
final class Clients implements Node {

    /** A payment a client was told was approved: which payment, when, which region said so, when it was first sent. */
    record Ack(String merchant, String key, String paymentId, long atMillis, String region, long firstSentAtMillis) {
    }

    private final class Payment {
        final long requestId;
        final Topology.Merchant merchant;
        final String key;
        final long amountMinor;
        final long firstSentAt;
        final String nearby;
        int attempt;
        boolean done;
        String resolved;
        long resolvedUntil = -1;

        Payment(long requestId, Topology.Merchant merchant, long amountMinor, String nearby) {
            this.requestId = requestId;
            this.merchant = merchant;
            this.key = "k" + requestId;
            this.amountMinor = amountMinor;
            this.firstSentAt = sim.now();
            this.nearby = nearby;
        }
    }

    /**
     * Global DNS: health checks on each region's {@code /healthz}, a region leaving the answers after
     * {@link Timings#DNS_THRESHOLD} failed checks in a row and coming back after as many good ones; a client is
     * given the region near it while that is healthy, else the other.
     */
    private static final class Dns {
        final Map<String, Boolean> healthy = new TreeMap<>();
        final Map<String, Integer> streak = new TreeMap<>();

        Dns() {
            for (String region : Topology.REGIONS) {
                healthy.put(region, true);
                streak.put(region, 0);
            }
        }

        void probe(String region, boolean ok) {
            if (ok == healthy.get(region)) {
                streak.put(region, 0);
                return;
            }
            int count = streak.merge(region, 1, Integer::sum);
            if (count >= Timings.DNS_THRESHOLD) {
                healthy.put(region, ok);
                streak.put(region, 0);
            }
        }

        String answer(String nearby) {
            String other = Topology.other(nearby);
            return healthy.get(nearby) || !healthy.get(other) ? nearby : other;
        }
    }

    private final Simulation sim;
    private final double paymentsPerSecond;
    private final Dns dns = new Dns();
    private final Map<Long, Payment> payments = new TreeMap<>();
    private final Map<String, Ack> acks = new LinkedHashMap<>();
    private final List<String> conflicts = new ArrayList<>();
    private long nextRequestId;
    private int started;
    private int gaveUp;

    Clients(Simulation sim) {
        this.sim = sim;
        this.paymentsPerSecond = sim.random().nextDouble(0.5, 4.0);
    }

    void start() {
        scheduleArrival();
        sim.every(Timings.DNS_PROBE_EVERY_MILLIS, () -> {
            for (String region : Topology.REGIONS) {
                dns.probe(region, sim.region(region).healthy());
            }
        });
    }

    @Override
    public void receive(String from, Message message) {
        if (!(message instanceof Message.PayAnswer answer)) {
            throw new IllegalStateException("clients do not take " + message);
        }
        Payment payment = payments.get(answer.requestId());
        String keyId = ShardCopy.keyId(payment.merchant.id(), payment.key);
        if (answer.approved()) {
            // An approval is what the merchant was told, even one arriving after its client gave up waiting.
            payment.done = true;
            Ack ack = new Ack(payment.merchant.id(), payment.key, answer.paymentId(), sim.now(), from, payment.firstSentAt);
            Ack earlier = acks.putIfAbsent(keyId, ack);
            if (earlier != null && !earlier.paymentId().equals(ack.paymentId())) {
                conflicts.add(keyId + " approved as " + earlier.paymentId() + " and as " + ack.paymentId());
            }
            sim.trace("client: %s/%s approved as %s by %s", payment.merchant.id(), payment.key, answer.paymentId(), from);
            return;
        }
        if (payment.done) {
            return;
        }
        sim.trace("client: %s/%s refused by %s (%s)", payment.merchant.id(), payment.key, from, answer.refusal());
        int attempt = ++payment.attempt;
        sim.schedule(sim.random().nextLong(Timings.CLIENT_RETRY_MIN_MILLIS, Timings.CLIENT_RETRY_MAX_MILLIS + 1), () -> {
            if (payment.attempt == attempt && !payment.done) {
                send(payment);
            }
        });
    }

    /** Approved payments by merchant and key, in the order they were first approved. */
    Map<String, Ack> acks() {
        return Collections.unmodifiableMap(acks);
    }

    Collection<String> conflicts() {
        return Collections.unmodifiableList(conflicts);
    }

    int started() {
        return started;
    }

    int gaveUp() {
        return gaveUp;
    }

    private void scheduleArrival() {
        long gapMillis = Math.max(1, (long) (-Math.log(1 - sim.random().nextDouble()) * 1000 / paymentsPerSecond));
        sim.schedule(gapMillis, () -> {
            if (sim.now() >= Timings.TRAFFIC_END_MILLIS) {
                return;
            }
            Topology.Merchant merchant = Topology.MERCHANTS.get(sim.random().nextInt(Topology.MERCHANTS.size()));
            String nearby = Topology.REGIONS.get(sim.random().nextInt(2));
            Payment payment = new Payment(++nextRequestId, merchant, sim.random().nextLong(100, 50_001), nearby);
            payments.put(payment.requestId, payment);
            started++;
            send(payment);
            scheduleArrival();
        });
    }

    private void send(Payment payment) {
        if (sim.now() - payment.firstSentAt > Timings.CLIENT_GIVES_UP_AFTER_MILLIS) {
            payment.done = true;
            gaveUp++;
            sim.trace("client: gave %s/%s up", payment.merchant.id(), payment.key);
            return;
        }
        if (sim.now() >= payment.resolvedUntil) {
            payment.resolved = dns.answer(payment.nearby);
            payment.resolvedUntil = sim.now() + Timings.DNS_TTL_MILLIS;
        }
        int attempt = ++payment.attempt;
        sim.network().send(Topology.CLIENTS, payment.resolved, new Message.PayRequest(payment.requestId,
                payment.merchant.id(), payment.key, payment.amountMinor, payment.merchant.currency()));
        sim.schedule(Timings.CLIENT_TIMEOUT_MILLIS, () -> {
            if (payment.attempt == attempt && !payment.done) {
                sim.trace("client: %s/%s timed out at %s", payment.merchant.id(), payment.key, payment.resolved);
                send(payment);
            }
        });
    }
}
