package dev.nightjar.platform.observe;

import dev.nightjar.contracts.json.Json;
import dev.nightjar.platform.AcquirerFaults;
import dev.nightjar.platform.FleetMember;
import dev.nightjar.platform.LedgerTools;
import dev.nightjar.platform.MerchantApi;
import dev.nightjar.platform.Platform;
import dev.nightjar.platform.TestCards;
import dev.nightjar.platform.process.Poll;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * {@code ./nightjar observe check}: proves the platform's rules and dashboards against its own Prometheus.
 * It runs payments, declines, a manual capture, a refund, a settlement cut-off and an outage of acquirer-a,
 * then evaluates every recording rule, every alert expression and every dashboard query
 * ({@code deploy/grafana/*.json}) there: a query that Prometheus refuses, or that returns no series once the
 * traffic has been scraped, fails the check; and the alerts the outage provokes (the payment latency SLO's
 * fast burn, the acquirer's breaker) must become active after it began and fire while it lasts.
 */
public final class ObserveCheck {

    /** How long a query may stay empty after the traffic before it counts as returning nothing. */
    private static final Duration DATA_DEADLINE = Duration.ofSeconds(120);
    /** How long the outage may last at most, waiting for its alerts to fire. */
    private static final Duration OUTAGE_DEADLINE = Duration.ofMinutes(2);
    /** How long the check waits for alerts of an earlier fault to clear before it starts its own outage. */
    private static final Duration QUIET_DEADLINE = Duration.ofMinutes(10);
    /** How long the check pays after its outage, at most, for acquirer-a's breaker to close again. */
    private static final Duration BREAKER_DEADLINE = Duration.ofSeconds(90);
    /** acquirer-a's breaker closed, in auth-service's last scrape. */
    private static final String BREAKER_CLOSED = "resilience4j_circuitbreaker_state{name=\"acquirer-a\", state=\"closed\"} == 1";
    /** How far ahead of the rules' next evaluation the outage must begin, to be sure that evaluation sees it. */
    private static final Duration EVALUATION_MARGIN = Duration.ofSeconds(1);
    /** Dashboard variables, as Grafana would expand them with "All" selected. */
    private static final Map<String, String> VARIABLES = Map.of(
            "${__rate_interval}", "1m", "$__rate_interval", "1m",
            "${__interval}", "15s", "$__interval", "15s",
            "${__range}", "1h", "$__range", "1h",
            "${service}", ".+", "$service", ".+",
            "${acquirer}", ".+", "$acquirer", ".+");

    private final Platform platform;
    private final PrintStream out;
    private final PrometheusApi prometheus;

    public ObserveCheck(Platform platform, PrintStream out) {
        this.platform = platform;
        this.out = out;
        this.prometheus = new PrometheusApi(platform.prometheus().url());
    }

    /** One query of the check and where it comes from. */
    public record Query(String kind, String source, String expr) {
    }

    /** What became of each query: ok (with its series), empty, or invalid (with Prometheus's error). */
    public record Outcome(Query query, String verdict, String detail) {
        public boolean ok() {
            return verdict.equals("ok");
        }
    }

    /**
     * An alert instance the outage must provoke: the alert's name and the labels that single out the instance
     * (the fast-burn window, the acquirer the outage is on). A slower instance of the same alert, such as the
     * six-hour window that a run half an hour earlier may still hold active, proves nothing about this outage.
     */
    public record Provocation(String alert, Map<String, String> labels) {

        boolean matches(JsonNode instance) {
            return labels.entrySet().stream()
                    .allMatch(label -> label.getValue().equals(instance.path("labels").path(label.getKey()).asString(null)));
        }

        @Override
        public String toString() {
            return alert + labels;
        }
    }

    /** The instances the acquirer-a outage must provoke. */
    static final List<Provocation> PROVOCATIONS = List.of(
            new Provocation("PaymentLatencyBudgetBurn", Map.of("long_window", "1h")),
            new Provocation("AcquirerCircuitBreakerOpen", Map.of("name", FleetMember.ACQUIRER_A.instance())));

    /**
     * An alert instance the outage provokes, as Prometheus saw it when the outage ended: its state, when it
     * became active, and its rule's {@code for}. It counts as fired by the outage only when it became active
     * after the outage began (an instance already active before proves nothing), and is firing, or pending
     * with a {@code for} longer than the outage the check may hold.
     */
    public record ProvokedAlert(String name, String state, Instant activeAt, long forSeconds, Instant outageStart) {

        public boolean fired() {
            boolean active = "firing".equals(state) || ("pending".equals(state) && forSeconds > OUTAGE_DEADLINE.toSeconds());
            return active && activeAt != null && !activeAt.isBefore(outageStart);
        }

        @Override
        public String toString() {
            return name + " " + state + (activeAt == null ? "" : " since " + activeAt) + (fired() ? "" : " (not provoked by the outage)");
        }
    }

    /** Every query and alert the check looked at, and the alerts the outage provoked. */
    public record Report(List<Outcome> outcomes, List<ProvokedAlert> outageAlerts) {

        public boolean passed() {
            return outcomes.stream().allMatch(Outcome::ok) && !outageAlerts.isEmpty()
                    && outageAlerts.stream().allMatch(ProvokedAlert::fired);
        }

        public java.util.Optional<ProvokedAlert> outageAlert(String name) {
            return outageAlerts.stream().filter(alert -> alert.name().equals(name)).findFirst();
        }

        public long count(String kind) {
            return outcomes.stream().filter(outcome -> outcome.query().kind().equals(kind)).count();
        }
    }

    public Report run() throws IOException, InterruptedException {
        Instant started = Instant.now();
        MerchantApi merchant = MerchantApi.newMerchant(platform, MerchantApi.client(platform), "Observe check " + started);
        TestCards cards = TestCards.of(platform);
        String approved = cards.require("approved", "visa");
        String declined = cards.require("declined", "visa");
        out.println("traffic: payments, declines, a manual capture, a refund");
        webhookEndpoint(merchant);
        List<String> captured = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            captured.add(pay(merchant, approved, "automatic"));
            pay(merchant, declined, "automatic");
        }
        String manual = pay(merchant, approved, "manual");
        merchant.post("/v1/payments/" + manual + "/capture", "{}", UUID.randomUUID().toString(), Duration.ofSeconds(30));
        merchant.post("/v1/payments/" + captured.getFirst() + "/refunds", "{\"amount\": 100}", UUID.randomUUID().toString(),
                Duration.ofSeconds(30));
        out.println("settlement cut-off");
        LedgerTools.settle(platform, new PrintStream(OutputStream.nullOutputStream()));

        List<ProvokedAlert> outageAlerts = outage(merchant, approved);

        List<Query> queries = new ArrayList<>(recordingRules());
        queries.addAll(dashboardQueries());
        List<Outcome> outcomes = new ArrayList<>(evaluate(queries));
        outcomes.addAll(alertRules());
        Report report = new Report(outcomes, outageAlerts);
        print(report, Duration.between(started, Instant.now()));
        return report;
    }

    /**
     * acquirer-a timing out every call, with payments flowing (each waits out the timeout, then fails over to
     * acquirer-b), until the alerts it provokes fire: the payment latency SLO's fast burn, and the acquirer's
     * breaker. An alert whose {@code for} is longer than the outage the check holds counts once it is pending.
     * Instances still active from before (the slow payments of a cold start are enough for the latency burn)
     * are first waited out, so that what fires afterwards is this outage's doing.
     */
    private List<ProvokedAlert> outage(MerchantApi merchant, String card) throws IOException, InterruptedException {
        Instant quietBy = Instant.now().plus(QUIET_DEADLINE);
        List<String> told = List.of();
        while (Instant.now().isBefore(quietBy)) {
            JsonNode groups = prometheus.rules();
            List<ProvokedAlert> before = provokedAlerts(groups, Instant.now());
            Instant nextEvaluation = nextEvaluation(groups);
            boolean quiet = before.stream().allMatch(alert -> alert.activeAt() == null);
            // Quiet, with the next evaluation far enough ahead that it sees the outage: an evaluation between this
            // read and the fault would judge only the traffic before it, and an instance it made active would not
            // be the outage's doing.
            if (quiet && Instant.now().plus(EVALUATION_MARGIN).isBefore(nextEvaluation)) {
                break;
            }
            List<String> active = before.stream().map(alert -> alert.name() + " " + alert.state() + " " + alert.activeAt()).toList();
            if (!quiet && !active.equals(told)) {
                out.println("waiting for alerts still active from before (a cold start's slow payments, an earlier fault) to clear: "
                        + before);
                told = active;
            }
            // No traffic meanwhile: the fast-burn window empties five minutes after the last slow payment. Quiet,
            // but an evaluation is close: wake just after it, when the next one is a whole interval away.
            Duration untilEvaluated = Duration.between(Instant.now(), nextEvaluation).plusMillis(100);
            Poll.pause(quiet && untilEvaluated.isPositive() ? untilEvaluated : Duration.ofSeconds(5));
        }
        Instant outageStart = Instant.now();
        List<ProvokedAlert> states = List.of();
        try {
            AcquirerFaults.set(platform, FleetMember.ACQUIRER_A, "{\"timeout_rate\": 1.0}");
            out.println("acquirer-a times out every call until " + PROVOCATIONS + " fire");
            states = provokedAlerts(prometheus.rules(), outageStart);
            Instant deadline = Instant.now().plus(OUTAGE_DEADLINE);
            while (Instant.now().isBefore(deadline) && !states.stream().allMatch(ProvokedAlert::fired)) {
                pay(merchant, card, "automatic");
                states = provokedAlerts(prometheus.rules(), outageStart);
            }
        } finally {
            AcquirerFaults.set(platform, FleetMember.ACQUIRER_A, null);
        }
        out.println("outage over: " + states);
        awaitBreakerClosed(merchant, card);
        return states;
    }

    /**
     * Pays until auth-service's breaker for acquirer-a is closed again, as Prometheus last scraped it: the check
     * leaves the platform as it found it. An open breaker lets a call through only when one comes after its open
     * time (no call, no recovery), and until it closes, a capture, cancel or refund of a payment acquirer-a
     * authorized is refused with a 503 (whatever runs next on the same platform would meet that).
     */
    private void awaitBreakerClosed(MerchantApi merchant, String card) throws IOException, InterruptedException {
        Instant start = Instant.now();
        Instant deadline = start.plus(BREAKER_DEADLINE);
        while (Instant.now().isBefore(deadline)) {
            pay(merchant, card, "automatic");
            if (prometheus.query(BREAKER_CLOSED).series() > 0) {
                out.printf("acquirer-a's breaker closed again %d s after the outage%n",
                        Duration.between(start, Instant.now()).toSeconds());
                return;
            }
            Poll.pause(Duration.ofMillis(500));
        }
        out.println("acquirer-a's breaker still not closed " + BREAKER_DEADLINE.toSeconds() + " s after the outage");
    }

    /** Each provocation's instance as the rules API's groups show it (inactive when it has none). */
    private static List<ProvokedAlert> provokedAlerts(JsonNode groups, Instant outageStart) {
        List<JsonNode> rules = alertingRules(groups);
        List<ProvokedAlert> alerts = new ArrayList<>();
        for (Provocation provocation : PROVOCATIONS) {
            ProvokedAlert alert = new ProvokedAlert(provocation.alert(), "inactive", null, 0, outageStart);
            for (JsonNode rule : rules) {
                if (!provocation.alert().equals(rule.path("name").asString())) {
                    continue;
                }
                long forSeconds = rule.path("duration").asLong();
                alert = new ProvokedAlert(alert.name(), alert.state(), alert.activeAt(), forSeconds, outageStart);
                for (JsonNode instance : rule.path("alerts")) {
                    if (provocation.matches(instance) && !"firing".equals(alert.state())) {
                        alert = new ProvokedAlert(alert.name(), instance.path("state").asString(),
                                Instant.parse(instance.path("activeAt").asString()), forSeconds, outageStart);
                    }
                }
            }
            alerts.add(alert);
        }
        return alerts;
    }

    private static String pay(MerchantApi merchant, String card, String captureMethod) throws IOException, InterruptedException {
        HttpResponse<String> answer = merchant.post("/v1/payments", """
                {"amount": 1250, "currency": "EUR", "capture_method": "%s",
                 "payment_method": {"type": "card", "card": {"number": "%s", "exp_month": 12, "exp_year": 2030, "cvc": "123"}}}"""
                .formatted(captureMethod, card), UUID.randomUUID().toString(), Duration.ofSeconds(30));
        JsonNode body = Json.MAPPER.readTree(answer.body());
        return body.path("id").asString(null);
    }

    /** An endpoint nobody listens on: its deliveries fail and are retried, so the webhook series have data. */
    private static void webhookEndpoint(MerchantApi merchant) throws IOException, InterruptedException {
        merchant.post("/v1/webhook_endpoints", """
                {"url": "https://localhost:1/observe-check", "events": ["payment.captured", "payment.declined"]}""",
                null, Duration.ofSeconds(30));
    }

    private List<Query> recordingRules() {
        List<Query> queries = new ArrayList<>();
        for (JsonNode group : prometheus.rules()) {
            for (JsonNode rule : group.path("rules")) {
                if ("recording".equals(rule.path("type").asString())) {
                    queries.add(new Query("recording rule", group.path("file").asString() + ": " + rule.path("name").asString(),
                            rule.path("name").asString()));
                }
            }
        }
        return queries;
    }

    /** Every alert Prometheus loaded: it must evaluate without error. */
    private List<Outcome> alertRules() {
        List<Outcome> outcomes = new ArrayList<>();
        for (JsonNode rule : alertingRules()) {
            Query query = new Query("alert", rule.path("name").asString(), rule.path("query").asString());
            PrometheusApi.Answer answer = prometheus.query(query.expr());
            boolean healthy = "ok".equals(rule.path("health").asString()) && answer.valid();
            outcomes.add(new Outcome(query, healthy ? "ok" : "invalid",
                    healthy ? rule.path("state").asString() : rule.path("lastError").asString("") + " " + answer.error()));
        }
        return outcomes;
    }

    /**
     * When Prometheus next evaluates the groups holding the provoked alerts: the earliest of their last
     * evaluations plus their intervals.
     */
    static Instant nextEvaluation(JsonNode groups) {
        Instant next = Instant.MAX;
        for (JsonNode group : groups) {
            for (JsonNode rule : group.path("rules")) {
                if (PROVOCATIONS.stream().anyMatch(provocation -> provocation.alert().equals(rule.path("name").asString()))) {
                    Instant last = Instant.parse(group.path("lastEvaluation").asString());
                    Instant groupNext = last.plusMillis(Math.round(group.path("interval").asDouble() * 1000));
                    next = groupNext.isBefore(next) ? groupNext : next;
                }
            }
        }
        return next;
    }

    private List<JsonNode> alertingRules() {
        return alertingRules(prometheus.rules());
    }

    private static List<JsonNode> alertingRules(JsonNode groups) {
        List<JsonNode> rules = new ArrayList<>();
        for (JsonNode group : groups) {
            for (JsonNode rule : group.path("rules")) {
                if ("alerting".equals(rule.path("type").asString())) {
                    rules.add(rule);
                }
            }
        }
        return rules;
    }

    /** The {@code expr} of every target of every panel (rows' panels included) of every dashboard. */
    public List<Query> dashboardQueries() {
        Path directory = platform.layout().repository().resolve("deploy").resolve("grafana");
        List<Query> queries = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                JsonNode dashboard = Json.MAPPER.readTree(file.toFile());
                collect(file.getFileName().toString(), dashboard.path("panels"), queries);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return queries;
    }

    private static void collect(String file, JsonNode panels, List<Query> queries) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asString("");
                if (!expr.isBlank()) {
                    queries.add(new Query("dashboard", file + ": " + panel.path("title").asString() + " ["
                            + target.path("refId").asString() + "]", expand(expr)));
                }
            }
            collect(file, panel.path("panels"), queries);
        }
    }

    static String expand(String expr) {
        String expanded = expr;
        for (Map.Entry<String, String> variable : VARIABLES.entrySet().stream()
                .sorted((a, b) -> b.getKey().length() - a.getKey().length()).toList()) {
            expanded = expanded.replace(variable.getKey(), variable.getValue());
        }
        return expanded;
    }

    /** Each query until it returns series or the deadline passes; a refused query fails at once. */
    private List<Outcome> evaluate(List<Query> queries) {
        Map<Query, Outcome> outcomes = new LinkedHashMap<>();
        Instant deadline = Instant.now().plus(DATA_DEADLINE);
        while (true) {
            for (Query query : queries) {
                if (outcomes.containsKey(query) && !outcomes.get(query).verdict().equals("empty")) {
                    continue;
                }
                PrometheusApi.Answer answer = prometheus.query(query.expr());
                outcomes.put(query, !answer.valid() ? new Outcome(query, "invalid", answer.error())
                        : answer.series() == 0 ? new Outcome(query, "empty", "no series")
                        : new Outcome(query, "ok", answer.series() + " series"));
            }
            boolean waiting = outcomes.values().stream().anyMatch(outcome -> outcome.verdict().equals("empty"));
            if (!waiting || Instant.now().isAfter(deadline)) {
                return List.copyOf(outcomes.values());
            }
            Poll.pause(Duration.ofSeconds(5));
        }
    }

    private void print(Report report, Duration took) {
        for (Outcome outcome : report.outcomes()) {
            if (!outcome.ok()) {
                out.printf("%-8s %-15s %s%n         %s%n         %s%n", outcome.verdict().toUpperCase(java.util.Locale.ROOT),
                        outcome.query().kind(), outcome.query().source(), outcome.query().expr(), outcome.detail());
            }
        }
        long failed = report.outcomes().stream().filter(outcome -> !outcome.ok()).count();
        out.printf("%d queries checked against %s in %d s: %d recording rules, %d alert expressions, %d dashboard queries;"
                        + " %d failed. Outage alerts: %s%n",
                report.outcomes().size(), platform.prometheus().url(), took.toSeconds(), report.count("recording rule"),
                report.count("alert"), report.count("dashboard"), failed, report.outageAlerts());
        out.println(report.passed() ? "OK" : "FAILED");
    }
}
