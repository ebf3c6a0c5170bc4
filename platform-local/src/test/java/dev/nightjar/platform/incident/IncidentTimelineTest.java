package dev.nightjar.platform.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.contracts.event.EventEnvelope;
import dev.nightjar.contracts.event.PaymentEvent;
import dev.nightjar.contracts.json.Json;
import dev.nightjar.platform.observe.PaymentTraces;
import dev.nightjar.platform.observe.PrometheusApi;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class IncidentTimelineTest {

    private static final Instant T = Instant.parse("2026-12-01T07:10:00Z");
    private static final TimeWindow WINDOW = new TimeWindow(T, T.plus(Duration.ofMinutes(10)));
    private static final String PAYMENT = "pay_01M8R4TAEJ4FNYRJY679MF5K6V";
    private static final String PAYMENT_TRACE = "7b18b2ca926342b161d0592e2e12e908";
    private static final String PLANTED_CARD = "4242424242424242";

    @Test
    void logLinesOutsideTheWindowAreLeftOut(@TempDir Path logs) throws IOException {
        write(logs, "transaction-service",
                line("2026-12-01T07:09:59.999Z", "WARN", "just before", null),
                line("2026-12-01T07:10:00.000Z", "WARN", "at the start", null),
                line("2026-12-01T07:20:00.000Z", "ERROR", "at the end", null),
                line("2026-12-01T07:20:00.001Z", "ERROR", "just after", null));

        assertThat(summaries(LogReader.read(logs, WINDOW, Focus.NONE)))
                .containsExactly("Collaborators: at the start", "Collaborators: at the end");
    }

    @Test
    void withoutAPaymentOnlyWarnAndErrorLinesAreKept(@TempDir Path logs) throws IOException {
        write(logs, "gateway-service",
                line("2026-12-01T07:11:00Z", "INFO", "captured " + PAYMENT, PAYMENT_TRACE),
                line("2026-12-01T07:11:01Z", "WARN", "slow acquirer", null),
                line("2026-12-01T07:11:02Z", "ERROR", "database unreachable", null),
                line("2026-12-01T07:11:03Z", "DEBUG", "noise", null));

        Readout readout = LogReader.read(logs, WINDOW, Focus.NONE);

        assertThat(readout.entries()).extracting(Entry::level).containsExactly("WARN", "ERROR");
        assertThat(readout.entries()).extracting(Entry::component).containsOnly("gateway-service");
    }

    @Test
    void infoLinesOfThePaymentAreKeptByItsIdOrItsTraceId(@TempDir Path logs) throws IOException {
        write(logs, "transaction-service",
                line("2026-12-01T07:11:00Z", "INFO", "payment " + PAYMENT + " captured", null),
                line("2026-12-01T07:11:01Z", "INFO", "risk decision allow", PAYMENT_TRACE),
                line("2026-12-01T07:11:02Z", "INFO", "payment pay_OTHER captured", "0000000000000000000000000000abcd"),
                line("2026-12-01T07:11:03Z", "WARN", "another payment's warning", null));
        Focus focus = Focus.on(PAYMENT).withTraceIds(List.of(PAYMENT_TRACE));

        Readout readout = LogReader.read(logs, WINDOW, focus);

        assertThat(summaries(readout)).containsExactly("Collaborators: payment " + PAYMENT + " captured",
                "Collaborators: risk decision allow", "Collaborators: another payment's warning");
        assertThat(readout.entries().get(1).traceId()).isEqualTo(PAYMENT_TRACE);
    }

    @Test
    void nonJsonLinesAndThirdPartyLogsAreSkipped(@TempDir Path logs) throws IOException {
        write(logs, "auth-service",
                line("2026-12-01T07:11:00Z", "ERROR", "acquirer-a timed out", null),
                "java.lang.IllegalStateException: boom",
                "\tat dev.nightjar.auth.Connector.call(Connector.java:42)",
                "{\"not\": \"a log line\"}");
        write(logs, "kafka", line("2026-12-01T07:11:00Z", "ERROR", "looks like ours but is Kafka's", null));
        write(logs, "postgres", "2026-12-01 07:11:00.000 UTC [123] LOG:  checkpoint starting: time");

        assertThat(summaries(LogReader.read(logs, WINDOW, Focus.NONE))).containsExactly("Collaborators: acquirer-a timed out");
    }

    @Test
    void anErrorsStackTraceFirstLineJoinsItsMessage(@TempDir Path logs) throws IOException {
        write(logs, "vault-service", "{\"@timestamp\":\"2026-12-01T07:11:00Z\",\"level\":\"ERROR\",\"service\":\"vault-service\","
                + "\"logger\":\"dev.nightjar.vault.Tokens\",\"thread\":\"t\",\"message\":\"detokenize failed\","
                + "\"error\":\"java.sql.SQLException: connection refused\\n\\tat org.postgresql.Driver.connect\"}");

        Entry entry = LogReader.read(logs, WINDOW, Focus.NONE).entries().getFirst();

        assertThat(entry.summary()).isEqualTo("Tokens: detokenize failed [java.sql.SQLException: connection refused]");
        assertThat(entry.details()).containsEntry("error", "java.sql.SQLException: connection refused");
    }

    @Test
    void entriesOfEverySourceAreMergedInTimeOrder() {
        Entry alert = entry("2026-12-01T07:12:00Z", Entry.Source.ALERT, "alert PaymentErrorBudgetBurn firing");
        Entry log = entry("2026-12-01T07:11:30Z", Entry.Source.LOG, "acquirer-a timed out");
        Entry event = entry("2026-12-01T07:11:31Z", Entry.Source.EVENT, "payment.failed");
        Entry audit = entry("2026-12-01T07:11:29Z", Entry.Source.AUDIT, "card.detokenize");
        Entry trace = entry("2026-12-01T07:11:29Z", Entry.Source.TRACE, "trace ...");

        List<Entry> merged = IncidentTimeline.merge(List.of(Readout.all(Entry.Source.ALERT, List.of(alert)),
                Readout.all(Entry.Source.LOG, List.of(log)), Readout.all(Entry.Source.EVENT, List.of(event)),
                Readout.all(Entry.Source.AUDIT, List.of(audit)), Readout.all(Entry.Source.TRACE, List.of(trace))));

        // Same instant: by source (log, event, alert, audit, trace)
        assertThat(merged).containsExactly(audit, trace, log, event, alert);
    }

    @Test
    void relativeTimesCountBackFromNow() {
        Instant now = Instant.parse("2026-12-01T08:00:00Z");

        assertThat(TimeWindow.parseInstant("-15m", now)).isEqualTo(Instant.parse("2026-12-01T07:45:00Z"));
        assertThat(TimeWindow.parseInstant("-30s", now)).isEqualTo(Instant.parse("2026-12-01T07:59:30Z"));
        assertThat(TimeWindow.parseInstant("-2h", now)).isEqualTo(Instant.parse("2026-12-01T06:00:00Z"));
        assertThat(TimeWindow.parseInstant("-1d", now)).isEqualTo(Instant.parse("2026-11-30T08:00:00Z"));
        assertThat(TimeWindow.parseInstant("now", now)).isEqualTo(now);
        assertThat(TimeWindow.parseInstant("2026-12-01T07:10:00Z", now)).isEqualTo(T);
        assertThatThrownBy(() -> TimeWindow.parseInstant("15m", now)).hasMessageContaining("not an instant");
    }

    @Test
    void optionsDefaultToNowAndRejectWhatIsNotAWindowOrAPayment() {
        Instant now = Instant.parse("2026-12-01T08:00:00Z");

        IncidentTimeline.Options options = IncidentTimeline.Options.parse(List.of("--from", "-30m", "--payment", PAYMENT, "--json"), now);

        assertThat(options.window()).isEqualTo(new TimeWindow(Instant.parse("2026-12-01T07:30:00Z"), now));
        assertThat(options.paymentId()).isEqualTo(PAYMENT);
        assertThat(options.json()).isTrue();
        assertThatThrownBy(() -> IncidentTimeline.Options.parse(List.of("--to", "now"), now)).hasMessageContaining("--from");
        assertThatThrownBy(() -> IncidentTimeline.Options.parse(List.of("--from", "-5m", "--to", "-10m"), now))
                .hasMessageContaining("after");
        assertThatThrownBy(() -> IncidentTimeline.Options.parse(List.of("--from", "-5m", "--payment", "pay_1; rm"), now))
                .hasMessageContaining("not a payment id");
    }

    @Test
    void aPlantedCardNumberIsMaskedInTextAndJson(@TempDir Path logs) throws IOException {
        write(logs, "gateway-service", line("2026-12-01T07:11:00Z", "ERROR", "bad request with card " + PLANTED_CARD, null));
        Readout readout = LogReader.read(logs, WINDOW, Focus.NONE);
        assertThat(readout.entries().getFirst().summary()).contains(PLANTED_CARD);
        Entry audit = new Entry(T.plusSeconds(5), Entry.Source.AUDIT, "vault-service", null, "card.detokenize", null,
                Map.of("details", "{\"number\":\"" + PLANTED_CARD + "\"}"));
        List<Entry> entries = IncidentTimeline.merge(List.of(readout, Readout.all(Entry.Source.AUDIT, List.of(audit))));

        String text = print(out -> TimelineFormat.text(entries, List.of(readout), Focus.NONE, WINDOW, out));
        String json = print(out -> TimelineFormat.json(entries, out));

        assertThat(text).doesNotContain(PLANTED_CARD).contains("************4242");
        assertThat(json).doesNotContain(PLANTED_CARD).contains("************4242");
    }

    @Test
    void anIdsDigitsThatLookLikeACardNumberAreNotMaskedButACardBesideItIs() {
        String traceId = "abcd4242424242424242abcdabcdabcd";
        Entry trace = new Entry(T, Entry.Source.TRACE, "gateway-service", null,
                "trace " + traceId + ": card " + PLANTED_CARD, traceId, Map.of("span_id", "abcd424242424242"));

        String text = print(out -> TimelineFormat.text(List.of(trace), List.of(), Focus.NONE, WINDOW, out));
        String json = print(out -> TimelineFormat.json(List.of(trace), out));

        // The id holds the planted number's digits on purpose; the card beside it is what must not show
        assertThat(text).contains("trace " + traceId + ": card ************4242").doesNotContain("card " + PLANTED_CARD);
        assertThat(json).contains("\"span_id\" : \"abcd424242424242\"").contains("card ************4242")
                .doesNotContain("card " + PLANTED_CARD);
    }

    @Test
    void textPrintsOneLinePerEntryThenTheCountsPerSource() {
        Entry log = new Entry(Instant.parse("2026-12-01T07:10:03.123Z"), Entry.Source.LOG, "auth-service", "WARN",
                "Connectors: acquirer-a timed out\n  after 3 attempts", "abc", Map.of());
        Entry event = entry("2026-12-01T07:10:04Z", Entry.Source.EVENT, "payment.failed " + PAYMENT);

        String text = print(out -> TimelineFormat.text(List.of(log, event), List.of(), Focus.on(PAYMENT), WINDOW, out));

        assertThat(text.lines().toList()).containsExactly(
                "2026-12-01T07:10:03.123Z  log    auth-service         WARN Connectors: acquirer-a timed out | after 3 attempts",
                "2026-12-01T07:10:04.000Z  event  transaction-service  payment.failed " + PAYMENT,
                "2 entries for " + PAYMENT + " from 2026-12-01T07:10:00Z to 2026-12-01T07:20:00Z: "
                        + "log 1, event 1, alert 0, audit 0, trace 0");
    }

    @Test
    void jsonIsAnArrayOfEntriesWithTheirFields() {
        Entry log = new Entry(Instant.parse("2026-12-01T07:10:03.123Z"), Entry.Source.LOG, "auth-service", "WARN",
                "Connectors: acquirer-a timed out", PAYMENT_TRACE, Map.of("logger", "Connectors"));

        JsonNode json = Json.MAPPER.readTree(print(out -> TimelineFormat.json(List.of(log), out)));

        assertThat(json.isArray()).isTrue();
        JsonNode first = json.get(0);
        assertThat(first.propertyNames()).containsExactly("at", "source", "component", "level", "summary", "traceId", "details");
        assertThat(first.path("at").asString()).isEqualTo("2026-12-01T07:10:03.123Z");
        assertThat(first.path("source").asString()).isEqualTo("log");
        assertThat(first.path("traceId").asString()).isEqualTo(PAYMENT_TRACE);
        assertThat(first.path("details").path("logger").asString()).isEqualTo("Connectors");
    }

    @Test
    void anAlertsFiringIntervalsBecomeFiringAndResolvedEntries() {
        Duration step = Duration.ofSeconds(15);
        List<Instant> samples = new ArrayList<>();
        // Firing 07:11:00 to 07:12:00, again from 07:15:00 until past the window's end
        for (int s = 0; s <= 60; s += 15) {
            samples.add(T.plusSeconds(60 + s));
        }
        for (int s = 0; s <= 300; s += 15) {
            samples.add(T.plusSeconds(300 + s));
        }
        PrometheusApi.RangeSeries series = new PrometheusApi.RangeSeries(Map.of("alertname", "AcquirerCircuitBreakerOpen",
                "alertstate", "firing", "severity", "ticket", "service", "auth-service", "name", "acquirer-a"), samples);

        List<Entry> entries = AlertReader.entries(List.of(series), everyStep(step), WINDOW, step);

        assertThat(entries).extracting(entry -> entry.at().toString()).containsExactly(
                "2026-12-01T07:11:00Z", "2026-12-01T07:12:15Z", "2026-12-01T07:15:00Z");
        assertThat(entries).extracting(Entry::summary).containsExactly(
                "alert AcquirerCircuitBreakerOpen firing (name=acquirer-a, service=auth-service)",
                "alert AcquirerCircuitBreakerOpen resolved (name=acquirer-a, service=auth-service)",
                "alert AcquirerCircuitBreakerOpen firing (name=acquirer-a, service=auth-service), still at its end");
        assertThat(entries).extracting(Entry::component).containsOnly("auth-service");
        assertThat(entries).extracting(Entry::level).containsOnly("ticket");
    }

    @Test
    void anAlertIsNotResolvedWhilePrometheusItselfHasNoSamples() {
        Duration step = Duration.ofSeconds(15);
        // Firing 07:11:00 to 07:12:00 and 07:15:00 to 07:16:00; Prometheus away from 07:12:15 to 07:14:45
        List<Instant> evaluated = everyStep(step).stream()
                .filter(at -> at.isBefore(T.plusSeconds(135)) || at.isAfter(T.plusSeconds(285))).toList();
        PrometheusApi.RangeSeries series = new PrometheusApi.RangeSeries(Map.of("alertname", "ServiceDown", "job", "vault-service"),
                List.of(T.plusSeconds(60), T.plusSeconds(75), T.plusSeconds(90), T.plusSeconds(105), T.plusSeconds(120),
                        T.plusSeconds(300), T.plusSeconds(315), T.plusSeconds(330), T.plusSeconds(345), T.plusSeconds(360)));

        List<Entry> entries = AlertReader.entries(List.of(series), evaluated, WINDOW, step);

        assertThat(entries).extracting(Entry::summary).containsExactly(
                "no samples in Prometheus until 2026-12-01T07:15:00Z (Prometheus down?): alerts in between unknown",
                "alert ServiceDown firing (job=vault-service)",
                "alert ServiceDown resolved (job=vault-service)");
        assertThat(entries.get(2).at()).isEqualTo(T.plusSeconds(375));
    }

    @Test
    void theAlertStepGrowsSoALongWindowStaysWithinPrometheussPointLimit() {
        assertThat(AlertReader.step(WINDOW)).isEqualTo(Duration.ofSeconds(15));
        TimeWindow week = new TimeWindow(T, T.plus(Duration.ofDays(7)));
        assertThat(week.length().toSeconds() / AlertReader.step(week).toSeconds()).isLessThanOrEqualTo(10_000);
    }

    @Test
    void onlyThePaymentsEventsInTheWindowAreKeptAndTellItsMerchantAndTraces() {
        EntryBudget budget = new EntryBudget(EventReader.LIMIT);
        Focus focus = Focus.on(PAYMENT);
        EventReader.accept(event(PAYMENT, "payment.authorized", "2026-12-01T07:11:00Z"), WINDOW, focus, budget);
        EventReader.accept(event("pay_OTHER", "payment.captured", "2026-12-01T07:11:01Z"), WINDOW, focus, budget);
        EventReader.accept(event(PAYMENT, "payment.captured", "2026-12-01T07:21:00Z"), WINDOW, focus, budget);
        EventReader.accept(event(PAYMENT, "payment.captured", "2026-12-01T07:12:00Z"), WINDOW, focus, budget);
        Readout readout = Readout.of(Entry.Source.EVENT, budget, "events");

        assertThat(summaries(readout)).containsExactly(
                "payment.authorized " + PAYMENT + ": captured 1999 EUR, acquirer acquirer-a",
                "payment.captured " + PAYMENT + ": captured 1999 EUR, acquirer acquirer-a");
        Focus learned = IncidentTimeline.learn(focus, readout);
        assertThat(learned.merchantId()).isEqualTo("mer_1");
        assertThat(learned.traceIds()).containsExactly(PAYMENT_TRACE);
    }

    @Test
    void moreThanTwoHundredEventsAreCondensedIntoCountsPerTypeAndMinute() {
        EntryBudget budget = new EntryBudget(EventReader.LIMIT);
        for (int i = 0; i < 250; i++) {
            String type = i % 5 == 0 ? "payment.declined" : "payment.captured";
            EventReader.accept(event("pay_" + i, type, T.plusSeconds(i).toString()), WINDOW, Focus.NONE, budget);
        }
        Readout readout = Readout.of(Entry.Source.EVENT, budget, "events");

        assertThat(readout.found()).isEqualTo(250);
        assertThat(readout.note()).isEqualTo("250 events condensed into counts per minute");
        // 07:10 to 07:14: five minutes, two types each
        assertThat(readout.entries()).hasSize(10);
        assertThat(readout.entries().stream().mapToLong(entry -> Long.parseLong(entry.details().get("count"))).sum())
                .isEqualTo(250);
        assertThat(readout.entries().getFirst().summary()).startsWith("payment.captured: 48 in this minute (first: payment.captured pay_1: ");
    }

    @Test
    void aTraceBecomesOneEntryAtItsFirstSpan() {
        PaymentTraces.Span root = new PaymentTraces.Span(PAYMENT_TRACE, "a", null, "gateway-service", "http post /v1/payments",
                "SERVER", 1_764_573_000_000_000L, 120_000, Map.of());
        PaymentTraces.Span child = new PaymentTraces.Span(PAYMENT_TRACE, "b", "a", "ledger-service", "ledger.book",
                "CONSUMER", 1_764_573_000_500_000L, 100_000, Map.of());

        Entry entry = TraceReader.entry(List.of(root, child));

        assertThat(entry.at()).isEqualTo(Instant.parse("2025-12-01T07:10:00Z"));
        assertThat(entry.summary()).isEqualTo("trace " + PAYMENT_TRACE + ": 2 spans over 2 services, 600.0 ms (http post /v1/payments)");
        assertThat(entry.traceId()).isEqualTo(PAYMENT_TRACE);
    }

    /** Prometheus had samples at every step of the window. */
    private static List<Instant> everyStep(Duration step) {
        List<Instant> times = new ArrayList<>();
        for (Instant at = WINDOW.from(); !at.isAfter(WINDOW.to()); at = at.plus(step)) {
            times.add(at);
        }
        return times;
    }

    private static EventEnvelope<PaymentEvent> event(String paymentId, String type, String at) {
        PaymentEvent payment = new PaymentEvent(paymentId, "mer_1", dev.nightjar.contracts.contract.PaymentStatus.CAPTURED, "automatic", 1999, "EUR", 0, 1999, 0, 1999,
                null, "acquirer-a", "ref", null, null, "visa", "4242", "fp", 12, null, Instant.parse(at), Instant.parse(at),
                null, null);
        return new EventEnvelope<>("evt_" + paymentId + type, type, 1, Instant.parse(at), "mer_1",
                "00-" + PAYMENT_TRACE + "-00f067aa0ba902b7-01", payment);
    }

    private static Entry entry(String at, Entry.Source source, String summary) {
        return new Entry(Instant.parse(at), source, "transaction-service", null, summary, null, Map.of());
    }

    private static String line(String at, String level, String message, String traceId) {
        return "{\"@timestamp\":\"" + at + "\",\"level\":\"" + level + "\",\"service\":\"svc\","
                + "\"logger\":\"dev.nightjar.transaction.payment.Collaborators\",\"thread\":\"main\","
                + (traceId == null ? "" : "\"trace_id\":\"" + traceId + "\",\"span_id\":\"00f067aa0ba902b7\",")
                + "\"message\":\"" + message + "\"}";
    }

    private static void write(Path logs, String component, String... lines) throws IOException {
        Files.write(logs.resolve(component + ".log"), List.of(lines));
    }

    private static List<String> summaries(Readout readout) {
        return readout.entries().stream().map(Entry::summary).toList();
    }

    private interface Printer {
        void print(PrintStream out);
    }

    private static String print(Printer printer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        printer.print(out);
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
