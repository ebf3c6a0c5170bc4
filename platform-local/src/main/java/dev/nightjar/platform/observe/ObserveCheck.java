package dev.nightjar.platform.observe;

import dev.nightjar.common.json.Json;
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
 * fast burn, the acquirer's breaker) must fire while it lasts.
 */
public final class ObserveCheck {

    /** How long a query may stay empty after the traffic before it counts as returning nothing. */
    private static final Duration DATA_DEADLINE = Duration.ofSeconds(120);
    /** How long the outage may last at most, waiting for its alerts to fire. */
    private static final Duration OUTAGE_DEADLINE = Duration.ofMinutes(2);
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
     * An alert the outage provokes, its state when the outage ended, and its {@code for}: it counts as fired
     * when firing, or when pending and its {@code for} is longer than the outage the check may hold.
     */
    public record ProvokedAlert(String name, String state, long forSeconds) {

        public boolean fired() {
            return "firing".equals(state) || ("pending".equals(state) && forSeconds > OUTAGE_DEADLINE.toSeconds());
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
     */
    private List<ProvokedAlert> outage(MerchantApi merchant, String card) throws IOException, InterruptedException {
        Map<String, Long> provoked = new LinkedHashMap<>();
        for (JsonNode rule : alertingRules()) {
            String name = rule.path("name").asString();
            if (name.equals("PaymentLatencyBudgetBurn") || rule.path("query").asString().contains("resilience4j_circuitbreaker_state")) {
                provoked.put(name, rule.path("duration").asLong());
            }
        }
        out.println("acquirer-a times out every call until " + provoked.keySet() + " fire");
        List<ProvokedAlert> states = new ArrayList<>();
        provoked.forEach((name, forSeconds) -> states.add(new ProvokedAlert(name, "inactive", forSeconds)));
        AcquirerFaults.set(platform, FleetMember.ACQUIRER_A, "{\"timeout_rate\": 1.0}");
        try {
            Instant deadline = Instant.now().plus(OUTAGE_DEADLINE);
            while (Instant.now().isBefore(deadline) && !states.isEmpty()
                    && !states.stream().allMatch(ProvokedAlert::fired)) {
                pay(merchant, card, "automatic");
                states.replaceAll(alert -> new ProvokedAlert(alert.name(), alertState(alert.name()), alert.forSeconds()));
            }
        } finally {
            AcquirerFaults.set(platform, FleetMember.ACQUIRER_A, null);
        }
        out.println("outage over: " + states);
        return List.copyOf(states);
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

    private List<JsonNode> alertingRules() {
        List<JsonNode> rules = new ArrayList<>();
        for (JsonNode group : prometheus.rules()) {
            for (JsonNode rule : group.path("rules")) {
                if ("alerting".equals(rule.path("type").asString())) {
                    rules.add(rule);
                }
            }
        }
        return rules;
    }

    private String alertState(String name) {
        // An alert name may have several rules (a ticket and a page): the most urgent state counts.
        String state = "inactive";
        for (JsonNode rule : alertingRules()) {
            if (name.equals(rule.path("name").asString()) && !"firing".equals(state)) {
                String ruleState = rule.path("state").asString("inactive");
                state = "inactive".equals(ruleState) ? state : ruleState;
            }
        }
        return state;
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
