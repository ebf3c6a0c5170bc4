package dev.nightjar.platform.chaos;

import dev.nightjar.common.shard.ShardRouter;
import dev.nightjar.contracts.json.Json;
import dev.nightjar.platform.LedgerTools;
import dev.nightjar.platform.MerchantApi;
import dev.nightjar.platform.Platform;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./nightjar chaos}: open-loop payment traffic on the running platform while faults are injected one
 * after another; after each, the invariants are checked and one row printed. True when every row holds.
 */
public final class Chaos {

    /**
     * @param ratePerSecond new customer journeys per second
     * @param hold          how long each fault stays in place
     * @param bound         how soon after the broken part is back every acknowledged payment must be final
     * @param faults        the names of the faults to inject, in order (empty: all of them)
     * @param warmup        traffic before the first fault, not judged: ten JVMs on two cores need a while
     *                      before their hot paths are compiled
     */
    /**
     * @param http the merchants' clients' protocol: HTTP/2 (the JDK client's default: one connection, kept
     *             through 503s) or HTTP/1.1 (a connection per request in flight, closed by every 503)
     */
    public record Settings(double ratePerSecond, Duration hold, Duration bound, List<String> faults, Duration warmup,
                           HttpClient.Version http) {
    }

    /** How long traffic runs before a fault and after the broken part is back. */
    private static final Duration STEADY = Duration.ofSeconds(5);
    /** The width of one line of a fault's timeline. */
    private static final Duration TIMELINE_STEP = Duration.ofSeconds(10);

    /** How long a client keeps asking again (503, no answer) before it gives up on a request. */
    private static final Duration PATIENCE = Duration.ofSeconds(150);
    /** How long at most webhook deliveries may take to arrive once everything is back. */
    private static final Duration WEBHOOK_BOUND = Duration.ofSeconds(150);
    private static final Duration HANG = Duration.ofSeconds(10);
    private static final int MERCHANTS = 4;

    private final Platform platform;
    private final PrintStream out;
    private final String runId = Long.toString(System.currentTimeMillis(), 36);
    /** The cards of the run, read from the simulator at its start. */
    private Traffic.Cards cards;

    public Chaos(Platform platform, PrintStream out) {
        this.platform = platform;
        this.out = out;
    }

    /** Runs the faults; prints the table; true when no invariant was violated. */
    public boolean run(Settings settings) throws IOException, InterruptedException {
        return runAndReport(settings).held();
    }

    /**
     * What a run found: {@code held} when every invariant held; {@code safe} when the money and state ones did
     * (nothing lost, charged twice or for nothing, the ledger and webhooks right, no 500 and no 503 without
     * Retry-After), however late answers came or payments became final.
     */
    public record Result(boolean held, boolean safe, String table) {
    }

    /** Runs the faults; prints the table; says what held. */
    public Result runAndReport(Settings settings) throws IOException, InterruptedException {
        List<Fault> faults = Faults.select(platform, settings.hold(), settings.faults());
        out.printf("chaos %s: %d faults, %.0f journeys/s over %s, each fault held %d s, payments final within %d s of the"
                        + " return%n", runId, faults.size(), settings.ratePerSecond(),
                settings.http() == HttpClient.Version.HTTP_2 ? "HTTP/2" : "HTTP/1.1", settings.hold().toSeconds(),
                settings.bound().toSeconds());
        bringBack();
        platform.demoMerchant().orElseThrow(() -> new IllegalStateException("no demo merchant: run ./nightjar up first"));
        List<MerchantApi> merchants = merchantsOnEveryShard(settings.http());
        cards = Traffic.Cards.of(dev.nightjar.platform.TestCards.of(platform));
        List<Row> rows = new ArrayList<>();
        long started = System.nanoTime();
        try (WebhookSink sink = new WebhookSink()) {
            for (MerchantApi merchant : merchants) {
                subscribe(merchant, sink);
            }
            Invariants invariants = new Invariants(platform, merchants.stream().map(MerchantApi::merchantId).toList());
            warmUp(settings, merchants);
            Observations seen = new Observations(started);
            for (Fault fault : faults) {
                out.printf("%n== %s: %s%n", fault.name(), fault.promise());
                Row row = runFault(fault, settings, merchants, seen, invariants, sink);
                rows.add(row);
                out.println(Row.header());
                out.println(row.line());
                row.violations().forEach(violation -> out.println("   VIOLATED: " + violation));
                row.slowAnswers().forEach(violation -> out.println("   VIOLATED (late): " + violation));
            }
        }
        out.printf("%nchaos %s done in %.0f s%n%n", runId, (System.nanoTime() - started) / 1e9);
        out.println(Row.header());
        rows.forEach(row -> out.println(row.line()));
        boolean safe = rows.stream().allMatch(row -> row.violations().isEmpty());
        boolean ok = safe && rows.stream().allMatch(row -> row.slowAnswers().isEmpty());
        out.println(ok ? "\nOK: every invariant held after every fault"
                : "\nFAILED: " + rows.stream().mapToLong(row -> row.violations().size() + row.slowAnswers().size()).sum()
                + " violation(s)" + (safe ? ", all of them answers or final states that came late (or answers never):"
                + " nothing lost, nothing charged twice" : ""));
        StringBuilder table = new StringBuilder(Row.header()).append('\n');
        rows.forEach(row -> table.append(row.line()).append('\n'));
        return new Result(ok, safe, table.toString());
    }

    private Row runFault(Fault fault, Settings settings, List<MerchantApi> merchants, Observations seen,
                         Invariants invariants, WebhookSink sink) throws IOException, InterruptedException {
        int acksBefore = seen.acks().size();
        long windowStart = System.nanoTime();
        Traffic traffic = new Traffic(merchants, cards, settings.ratePerSecond(), PATIENCE, seen, runId + "-" + slug(fault.name()));
        traffic.start();
        long backNanos;
        long brokenNanos;
        try {
            Thread.sleep(STEADY);
            long injected = System.nanoTime();
            traffic.waitOut();
            act("inject", fault.inject());
            Thread.sleep(fault.hold());
            act("heal", fault.heal());
            backNanos = System.nanoTime();
            traffic.patientUntil(backNanos + settings.bound().toNanos());
            brokenNanos = backNanos - injected;
            out.printf("   back %.1f s after the fault was injected%n", brokenNanos / 1e9);
            Thread.sleep(STEADY);
        } finally {
            traffic.stop();
        }
        long windowEnd = System.nanoTime();
        out.println("   what the clients saw, by when the answer came (0: the fault injected; back at +"
                + Math.round(brokenNanos / 1e9) + " s):");
        long injectedNanos = backNanos - brokenNanos;
        List<Observations.Exchange> exchanges = seen.between(windowStart, windowEnd);
        Observations.timeline(exchanges, injectedNanos, TIMELINE_STEP).forEach(line -> out.println("     " + line));
        out.println("   the slowest answers, the client's time and the gateway's (Server-Timing):");
        exchanges.stream().sorted(java.util.Comparator.comparing(Observations.Exchange::took).reversed()).limit(3)
                .forEach(exchange -> out.println("       " + exchange.describe(injectedNanos)));
        List<Observations.Ack> all = seen.acks();
        List<Observations.Ack> acks = all.subList(Math.min(acksBefore, all.size()), all.size());

        // every acknowledged payment final within the bound after the broken part is back (one acknowledged after
        // the return: within the bound of its acknowledgement)
        Map<String, Long> waitingSince = new HashMap<>();
        Map<String, Long> deadlines = new HashMap<>();
        for (Observations.Ack ack : all) {
            deadlines.put(ack.objectId(), Math.max(backNanos, ack.atNanos()) + settings.bound().toNanos());
        }
        long longestWaitNanos = 0;
        Invariants.Stored stored;
        Set<String> overdue = new LinkedHashSet<>();
        while (true) {
            stored = invariants.stored();
            List<String> waiting = Invariants.waiting(all, stored);
            long now = System.nanoTime();
            for (Observations.Ack ack : all) {
                if (waiting.contains(ack.objectId())) {
                    waitingSince.putIfAbsent(ack.objectId(), ack.atNanos());
                } else if (waitingSince.containsKey(ack.objectId())) {
                    longestWaitNanos = Math.max(longestWaitNanos, now - waitingSince.remove(ack.objectId()));
                }
            }
            waiting.stream().filter(id -> now > deadlines.get(id)).forEach(overdue::add);
            if (overdue.containsAll(waiting)) {
                break;
            }
            Thread.sleep(1000);
        }
        List<String> stuck = List.copyOf(overdue);
        for (long since : waitingSince.values()) {
            longestWaitNanos = Math.max(longestWaitNanos, System.nanoTime() - since);
        }
        long webhookDeadline = System.nanoTime() + WEBHOOK_BOUND.toNanos();
        List<String> missing = Invariants.webhooksMissing(all, stored, sink);
        while (!missing.isEmpty() && System.nanoTime() < webhookDeadline) {
            Thread.sleep(1000);
            stored = invariants.stored();
            missing = Invariants.webhooksMissing(all, stored, sink);
        }
        Invariants.Money money = invariants.money();
        List<String> lost = invariants.lost(all, stored);
        // The ledger books from Kafka, so after the broker's return it catches up: checked until clean, within the
        // same bound as the webhooks.
        ByteArrayOutputStream ledgerReport = new ByteArrayOutputStream();
        int ledger = LedgerTools.check(platform, new PrintStream(ledgerReport, true, StandardCharsets.UTF_8));
        while (ledger != 0 && System.nanoTime() < webhookDeadline) {
            Thread.sleep(2000);
            ledgerReport = new ByteArrayOutputStream();
            ledger = LedgerTools.check(platform, new PrintStream(ledgerReport, true, StandardCharsets.UTF_8));
        }
        Map<String, Integer> twice = sink.announcedTwice(all.stream().map(Observations.Ack::objectId).toList());

        Map<String, Integer> errors = Observations.errors(exchanges);
        List<String> violations = new ArrayList<>();
        violate(violations, "lost", lost);
        List<String> slowAnswers = new ArrayList<>();
        violate(slowAnswers, "not final within " + settings.bound().toSeconds()
                + " s of the return (or of their acknowledgement, when later)", stuck);
        violate(violations, "charged twice", money.chargedTwice());
        violate(violations, "charged without a payment", money.chargedWithoutPayment());
        violate(violations, "network and Nightjar disagree", money.amountsDiffer());
        violate(violations, "webhooks missing", missing);
        violate(violations, "webhooks announcing one change twice", twice.keySet().stream().toList());
        violate(slowAnswers, "requests never answered", seen.unanswered(windowStart, windowEnd));
        if (ledger != 0) {
            violations.add("ledger check failed:\n" + ledgerReport.toString(StandardCharsets.UTF_8).indent(6));
        }
        errors.forEach((outcome, count) -> {
            if (outcome.startsWith("500")) {
                violations.add(count + " × " + outcome);
            } else if (outcome.startsWith("no answer")) {
                slowAnswers.add(count + " × " + outcome);
            }
        });
        List<Observations.Exchange> slow = exchanges.stream().filter(e -> e.took().compareTo(HANG) > 0).toList();
        if (!slow.isEmpty()) {
            slowAnswers.add(slow.size() + " requests took longer than " + HANG.toSeconds() + " s to answer: "
                    + String.join("; ", slow.stream().limit(5).map(e -> e.describe(injectedNanos)).toList())
                    + (slow.size() > 5 ? "; ..." : ""));
        }
        long bare503 = exchanges.stream().filter(e -> e.status() == 503 && !e.retryAfter()).count();
        if (bare503 > 0) {
            violations.add(bare503 + " × 503 without Retry-After");
        }
        return new Row(fault.name(), acks.size(), lost.size(), stuck.size(), money.chargedTwice().size(),
                money.chargedWithoutPayment().size() + money.amountsDiffer().size(), ledger == 0, missing.size(), twice.size(),
                seen.failedSeconds(exchanges).size(), brokenNanos / 1e9, longestWaitNanos / 1e9, errors, violations, slowAnswers);
    }

    private void warmUp(Settings settings, List<MerchantApi> merchants) throws InterruptedException {
        if (settings.warmup().isZero()) {
            return;
        }
        out.printf("warming up: %d s of the same traffic, not judged%n", settings.warmup().toSeconds());
        Traffic warmup = new Traffic(merchants, cards, settings.ratePerSecond(), PATIENCE, new Observations(System.nanoTime()),
                runId + "-warmup");
        warmup.start();
        try {
            Thread.sleep(settings.warmup());
        } finally {
            warmup.stop();
        }
    }

    private static void violate(List<String> violations, String what, List<String> findings) {
        if (!findings.isEmpty()) {
            violations.add(findings.size() + " " + what + ": " + String.join("; ", findings.subList(0, Math.min(5, findings.size())))
                    + (findings.size() > 5 ? "; ..." : ""));
        }
    }

    private void act(String step, Fault.Action action) throws IOException, InterruptedException {
        try {
            action.run();
        } catch (IOException | InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(step + " failed: " + e.getMessage(), e);
        }
    }

    /** Starts whatever is not running, quietly, as {@code up} does. */
    private void bringBack() {
        platform.withOutput(new PrintStream(PrintStream.nullOutputStream())).bringBack();
    }

    /**
     * New merchants for this run, at least two on each shard, so both shards carry the traffic. Each has its own
     * client, as each merchant's integration would: its own connections (one on HTTP/2), its own TLS session.
     */
    private List<MerchantApi> merchantsOnEveryShard(HttpClient.Version version) throws IOException, InterruptedException {
        ShardRouter router = new ShardRouter(2);
        List<MerchantApi> merchants = new ArrayList<>();
        Map<Integer, Integer> perShard = new HashMap<>();
        for (int made = 0; made < 40 && (merchants.size() < MERCHANTS || perShard.size() < 2); made++) {
            MerchantApi merchant = MerchantApi.newMerchant(platform, MerchantApi.client(platform, version),
                    "Chaos " + runId + " #" + made);
            int shard = router.shardOf(merchant.merchantId());
            if (perShard.getOrDefault(shard, 0) < MERCHANTS / 2) {
                perShard.merge(shard, 1, Integer::sum);
                merchants.add(merchant);
            }
        }
        return merchants;
    }

    private void subscribe(MerchantApi merchant, WebhookSink sink) throws IOException, InterruptedException {
        String body = Json.MAPPER.writeValueAsString(Map.of("url", sink.url() + "/" + merchant.merchantId(),
                "events", List.of("payment.authorized", "payment.captured", "payment.declined", "payment.pending",
                        "payment.canceled", "payment.failed", "refund.succeeded", "refund.failed")));
        HttpResponse<String> response = merchant.post("/v1/webhook_endpoints", body, "chaos-" + runId + "-hook-"
                + merchant.merchantId(), Duration.ofSeconds(30));
        if (response.statusCode() != 201) {
            throw new IllegalStateException("could not register the webhook endpoint: " + response.body());
        }
    }

    private static String slug(String name) {
        return name.replaceAll("[^a-zA-Z0-9]+", "-");
    }

    /** One line of the table. */
    record Row(String fault, int acknowledged, int lost, int stuck, int chargedTwice, int moneyDiffers, boolean ledgerOk,
               int webhooksMissing, int webhooksTwice, int unavailableSeconds, double backAfterSeconds,
               double longestNonFinalSeconds, Map<String, Integer> errors, List<String> violations,
               List<String> slowAnswers) {

        static String header() {
            return String.format("%-32s %6s %5s %5s %6s %6s %6s %8s %6s %6s %7s  %s", "fault", "acked", "lost", "stuck",
                    "twice", "money", "ledger", "webhooks", "unavl", "back", "nonfin", "errors the clients saw");
        }

        String line() {
            return String.format("%-32s %6d %5d %5d %6d %6d %6s %4d/%-3d %5ds %5.0fs %6.0fs  %s", fault, acknowledged, lost,
                    stuck, chargedTwice, moneyDiffers, ledgerOk ? "ok" : "FAIL", webhooksMissing, webhooksTwice,
                    unavailableSeconds, backAfterSeconds, longestNonFinalSeconds, errors.isEmpty() ? "none" : errors);
        }
    }
}
