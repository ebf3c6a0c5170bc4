package dev.nightjar.platform.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.contracts.json.Json;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class OpenLoopReportTest {

    private static final java.time.Instant START = java.time.Instant.parse("2026-12-01T18:40:10Z");

    static OpenLoopReport report() {
        Histogram latencyMicros = new Histogram(300_000_000L, 3);
        for (long millis = 1; millis <= 1_000; millis++) {
            latencyMicros.recordValue(millis * 1_000);
        }
        OpenLoop.Result result = new OpenLoop.Result(20, 200, 199, 10_000_000_000L, latencyMicros,
                Map.of("201", 198L, "503", 1L, "no answer", 1L), Map.of("approved card: 503", 1L, "approved card: no answer", 1L),
                Map.of("approved", Map.of("201 captured", 160L), "declined", Map.of("201 declined", 38L)), 198, 1_500_000,
                List.of(new OpenLoop.Interval(0, 10, 200, 198, 1, 1, 0, 12.345, 990.0, new Pressure.Shares(41.234, 0.5, 0.0),
                        Map.of("gateway-service", 23.456))));
        ProcessCpu.Row gateway = new ProcessCpu.Row("gateway-service", 396.0, 2.0, 3.96, null);
        ProcessCpu.Table cpu = new ProcessCpu.Table(10.0, 198, 100, List.of(gateway,
                new ProcessCpu.Row("ledger-service", 0, 0, 0, "restarted in the window")),
                new ProcessCpu.Row("platform, all processes", 396.0, 2.0, 3.96, null),
                new ProcessCpu.Row(ProcessCpu.NIGHTJAR, 396.0, 2.0, 3.96, null),
                new ProcessCpu.Row("load generator (this bench)", 99.0, 0.5, 0.99, null),
                new ProcessCpu.Row("rest of the machine", 10.0, 0.05, 0.1, null),
                new ProcessCpu.Row("whole machine", 505.0, 2.55, 5.05, null),
                new ProcessCpu.Row("taken by the host (steal)", 30.0, 0.15, 0.3, null));
        CardMix mix = CardMix.mixed(CardMixTest.VISA, CardMixTest.MASTERCARD, CardMixTest.DECLINED, CardMixTest.REVIEW);
        Map<String, Double> shares = new java.util.LinkedHashMap<>();
        mix.sharesPercent().forEach((card, share) -> shares.put(card, OpenLoopReport.rounded(share)));
        return new OpenLoopReport("payments, open loop", "2026-12-01T18:40:00Z", "b677293", true,
                new OpenLoopReport.Settings("rate", List.of(20.0), 1, 10, 5, 10, 4, 30, OpenLoop.MAX_IN_FLIGHT,
                        RampPlan.P99_LIMIT_MILLIS, 100, "getconf CLK_TCK", 2),
                shares, mix.expectedAnswers(), List.of(OpenLoopReport.Step.of(result, 312.4, cpu,
                        List.of(new ThreadCpu.Row("gateway-service", "ForkJoinPool-N-", 1.23456, 2.34567)),
                        GcPauses.window(List.of(new GcPauses.Pause("gateway-service", START.plusMillis(3_200), "Pause Young (Allocation Failure)", 4.5678),
                                new GcPauses.Pause("gateway-service", START.plusMillis(7_900), "Pause Full (Metadata GC Threshold)", 1220.548)),
                                START, 10),
                        Map.of("gateway-service", 2.345, "auth-service", 0.0), new DatabaseWork.Table(198, 41.234, 9.5, 0.01,
                        3.2, 6.789, List.of(new DatabaseWork.DatabaseRow("transaction_0", 12.5, 3.0, 0, 1.234)),
                        List.of(new DatabaseWork.StatementRow("gateway", "INSERT INTO idempotency_keys ...", 1.0, 0.1234)), null),
                        OpenLoopReport.LeadIn.of(result, 12.345))),
                null, null, new PostgresBound.Result(6543.2, 32, 10, null), 0.003,
                new MachineSpeed.Result(101.25, 104.5, 7, 123456789L));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theJsonHoldsTheSettingsThroughputPercentilesStatusesAndCpuTable() {
        Map<String, Object> json = Json.MAPPER.readValue(report().json(), Map.class);

        assertThat(json).containsKeys("benchmark", "started_at", "commit", "working_tree_changed", "settings",
                "mix_percent", "expected_answers", "steps", "highest_rate_held_per_second");
        Map<String, Object> settings = (Map<String, Object>) json.get("settings");
        assertThat(settings).containsEntry("mode", "rate").containsEntry("rates_per_second", List.of(20.0))
                .containsEntry("seconds_per_rate", 10).containsEntry("warmup_seconds", 5).containsEntry("lead_in_seconds", 10)
                .containsEntry("merchants", 4)
                .containsEntry("clock_ticks_per_second", 100).containsEntry("repeat", 1);
        assertThat((Map<String, Object>) json.get("machine_work")).containsEntry("best_millis", 101.25)
                .containsEntry("median_millis", 104.5).containsEntry("rounds", 7).containsEntry("checksum", 123456789);
        Map<String, Object> step = ((List<Map<String, Object>>) json.get("steps")).get(0);
        assertThat(step).containsEntry("rate_per_second", 20.0).containsEntry("scheduled", 200).containsEntry("answered", 199)
                .containsEntry("achieved_per_second", 19.9).containsEntry("payments_created", 198)
                .containsEntry("error_count", 2).containsEntry("held", false).containsEntry("max_send_lag_millis", 1.5)
                .containsEntry("platform_age_seconds", 312.0);
        Map<String, Object> leadIn = (Map<String, Object>) step.get("lead_in");
        assertThat(leadIn).containsEntry("seconds", 10.0).containsEntry("answered", 199).containsEntry("payments_created", 198)
                .containsEntry("error_count", 2).containsEntry("gap_millis", 12.35);
        assertThat((Double) leadIn.get("p99_millis")).isBetween(989.0, 991.0);
        assertThat((Map<String, Object>) step.get("compile_seconds")).containsExactly(Map.entry("auth-service", 0.0),
                Map.entry("gateway-service", 2.35));
        assertThat((Map<String, Object>) step.get("http_statuses")).containsEntry("201", 198).containsEntry("no answer", 1);
        assertThat((List<Map<String, Object>>) step.get("intervals")).containsExactly(Map.ofEntries(Map.entry("from_second", 0.0),
                Map.entry("to_second", 10.0), Map.entry("scheduled", 200), Map.entry("created", 198), Map.entry("shed", 1),
                Map.entry("unanswered", 1), Map.entry("other_errors", 0), Map.entry("p50_millis", 12.35),
                Map.entry("p99_millis", 990.0),
                Map.entry("pressure", Map.of("cpu_some_percent", 41.23, "io_some_percent", 0.5, "io_full_percent", 0.0)),
                Map.entry("cpu_percent_of_core", Map.of("gateway-service", 23.46))));
        Map<String, Object> latency = (Map<String, Object>) step.get("latency_millis");
        assertThat(latency).containsOnlyKeys("p50", "p90", "p99", "p99_9", "max");
        assertThat((Double) latency.get("p99")).isBetween(989.0, 991.0);
        Map<String, Object> cpu = (Map<String, Object>) step.get("cpu");
        assertThat(cpu).containsKeys("window_seconds", "payments", "processes", "platform_total", "nightjar", "load_generator",
                "rest_of_machine", "whole_machine", "taken_by_host");
        assertThat((Map<String, Object>) cpu.get("taken_by_host")).containsEntry("process", "taken by the host (steal)")
                .containsEntry("percent_of_core", 0.3);
        assertThat(((List<Map<String, Object>>) cpu.get("processes")).get(0)).containsEntry("process", "gateway-service")
                .containsEntry("millis_per_payment", 2.0).containsEntry("percent_of_core", 3.96);
        assertThat(((List<Map<String, Object>>) cpu.get("processes")).get(1)).containsEntry("note", "restarted in the window");
        assertThat((List<Map<String, Object>>) step.get("busiest_threads")).containsExactly(Map.of("process", "gateway-service",
                "thread", "ForkJoinPool-N-", "millis_per_payment", 1.23, "percent_of_core", 2.35));
        Map<String, Object> pauses = (Map<String, Object>) step.get("gc_pauses");
        assertThat(pauses).containsEntry("count", 2).containsEntry("total_millis", 1225.12);
        assertThat((Map<String, Object>) pauses.get("longest")).containsEntry("process", "gateway-service")
                .containsEntry("kind", "Pause Full (Metadata GC Threshold)").containsEntry("millis", 1220.55)
                .containsEntry("at", "2026-12-01T18:40:17.900Z");
        assertThat((List<Map<String, Object>>) pauses.get("full")).hasSize(1);
        assertThat((List<Map<String, Object>>) pauses.get("processes")).containsExactly(Map.of("process", "gateway-service",
                "count", 2, "total_millis", 1225.12, "longest_millis", 1220.55));
        assertThat((List<Map<String, Object>>) pauses.get("slices")).containsExactly(Map.of("from_second", 0.0,
                "to_second", 10.0, "pause", Map.of("process", "gateway-service", "at", "2026-12-01T18:40:17.900Z",
                        "kind", "Pause Full (Metadata GC Threshold)", "millis", 1220.55)));
        Map<String, Object> database = (Map<String, Object>) step.get("database");
        assertThat(database).containsEntry("statements_per_payment", 41.23).containsEntry("commits_per_payment", 9.5)
                .containsEntry("backend_cpu_millis_per_payment", 6.79);
        assertThat(((List<Map<String, Object>>) database.get("databases")).get(0))
                .containsEntry("database", "transaction_0").containsEntry("backend_cpu_millis_per_payment", 1.23);
        assertThat(((List<Map<String, Object>>) database.get("top")).get(0)).containsEntry("mean_millis", 0.123);
        assertThat((Map<String, Object>) json.get("postgres_bound")).containsEntry("write_sets_per_second", 6543.2)
                .containsEntry("clients", 32);
        assertThat(json).containsEntry("achieved_share_of_bound", 0.003);
    }

    @Test
    void theJsonNamesCardsByKindAndBrandAndHoldsNoCardNumber() {
        String json = report().json();
        assertThat(json).contains("\"approved visa\"", "\"declined visa\"", "\"review visa\"");
        for (CardMix.Card card : List.of(CardMixTest.VISA, CardMixTest.MASTERCARD, CardMixTest.DECLINED, CardMixTest.REVIEW)) {
            assertThat(json).doesNotContain(card.number()).doesNotContain(card.number().substring(0, 12));
        }
    }
}
