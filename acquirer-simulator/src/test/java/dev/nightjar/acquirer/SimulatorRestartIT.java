package dev.nightjar.acquirer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.common.security.Identities;
import dev.nightjar.contracts.contract.AcquirerProtocol;
import dev.nightjar.contracts.contract.AcquirerProtocol.SettlementBatchLine;
import dev.nightjar.contracts.contract.AcquirerProtocol.SettlementBatchRequest;
import dev.nightjar.contracts.contract.AcquirerProtocol.SettlementReport;
import dev.nightjar.contracts.contract.AcquirerProtocol.SettlementReportLine;
import dev.nightjar.contracts.json.Json;
import dev.nightjar.testsupport.Await;
import dev.nightjar.testsupport.TestAcquirer;
import dev.nightjar.testsupport.TestHttp;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator's records survive a SIGKILL: its executable jar runs as its own process on a data directory,
 * is killed in the middle of its work (no shutdown hook runs, nothing is flushed), and is started again on the
 * same directory, where it must answer every reference as before and settle every record exactly once.
 */
class SimulatorRestartIT {

    private static final String APPROVED_CARD = "4242424242424242";
    private static final String DECLINED_CARD = "4000000000009995";
    private static final String TIMEOUT_CARD = "4000000000000259";
    /** Longer than a test client waits (30 s): a timeout card treated as new after the restart would fail the test. */
    private static final String HANGING = "--nightjar.acquirer.timeout-card-delay=60s";

    @TempDir
    Path dataDir;

    private final List<TestAcquirer> started = new ArrayList<>();

    @AfterEach
    void stopAll() {
        started.forEach(TestAcquirer::stop);
    }

    private TestAcquirer start(String run) {
        TestAcquirer acquirer = TestAcquirer.startOwn("acquirer-a", Path.of("target", "restart-it", run + ".log"),
                List.of("--nightjar.acquirer.data-dir=" + dataDir, HANGING));
        started.add(acquirer);
        return acquirer;
    }

    private static String authorization(String reference, String card, long amount, boolean capture) {
        return """
                {"reference": "%s", "merchant_id": "mer_restart", "amount_minor": %d, "currency": "EUR",
                 "number": "%s", "exp_month": 12, "exp_year": 2030, "cvc": "123", "capture": %s}
                """.formatted(reference, amount, card, capture);
    }

    private static String operation(String reference, String authorization, long amount) {
        return """
                {"reference": "%s", "authorization": "%s", "amount_minor": %d, "currency": "EUR"}
                """.formatted(reference, authorization, amount);
    }

    private static HttpResponse<String> call(TestAcquirer acquirer, String path, String body) {
        HttpResponse<String> response = acquirer.as(Identities.AUTH).postJson(path, body);
        assertThat(response.statusCode()).as(path + " " + response.body()).isEqualTo(200);
        return response;
    }

    private static String field(HttpResponse<String> response, String name) {
        return (String) Json.MAPPER.readValue(response.body(), Map.class).get(name);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> records(TestAcquirer acquirer) {
        return Json.MAPPER.readValue(acquirer.as(Identities.OPERATOR).get(AcquirerProtocol.RECORDS + "?limit=100000").body(),
                List.class);
    }

    private static String settlementReportOfToday(TestAcquirer acquirer) {
        return acquirer.as(Identities.SETTLEMENT).get("/v1/settlement-reports/" + LocalDate.now(ZoneOffset.UTC)).body();
    }

    private static HttpResponse<String> submit(TestAcquirer acquirer, String batchId, List<SettlementBatchLine> lines) {
        HttpResponse<String> receipt = acquirer.as(Identities.SETTLEMENT).postJson(AcquirerProtocol.SETTLEMENT_BATCHES,
                Json.MAPPER.writeValueAsString(new SettlementBatchRequest(batchId, "EUR", lines)));
        assertThat(receipt.statusCode()).as(receipt.body()).isEqualTo(200);
        return receipt;
    }

    private static String batchReport(TestAcquirer acquirer, String batchId) {
        HttpResponse<String> report = acquirer.as(Identities.SETTLEMENT)
                .get(AcquirerProtocol.SETTLEMENT_BATCHES + "/" + batchId + "/report");
        assertThat(report.statusCode()).as(report.body()).isEqualTo(200);
        return report.body();
    }

    private static List<Object> references(List<Map<String, Object>> records) {
        return records.stream().map(record -> record.get("reference")).toList();
    }

    @Test
    void afterAKillEveryReferenceAnswersAsBeforeMovesNoMoneyTwiceAndSettlesOnce() {
        TestAcquirer first = start("first");
        Map<String, HttpResponse<String>> answers = new java.util.LinkedHashMap<>();
        answers.put("auth", call(first, AcquirerProtocol.AUTHORIZATIONS, authorization("r-auth", APPROVED_CARD, 1_999, false)));
        answers.put("sale", call(first, AcquirerProtocol.AUTHORIZATIONS, authorization("r-sale", APPROVED_CARD, 1_999, true)));
        answers.put("declined", call(first, AcquirerProtocol.AUTHORIZATIONS, authorization("r-declined", DECLINED_CARD, 500, true)));
        answers.put("to-void", call(first, AcquirerProtocol.AUTHORIZATIONS, authorization("r-to-void", APPROVED_CARD, 700, false)));
        String held = field(answers.get("auth"), "network_reference");
        String sold = field(answers.get("sale"), "network_reference");
        String voided = field(answers.get("to-void"), "network_reference");
        answers.put("capture", call(first, AcquirerProtocol.CAPTURES, operation("r-capture", held, 1_500)));
        answers.put("void", call(first, AcquirerProtocol.VOIDS, "{\"reference\": \"r-void\", \"authorization\": \"" + voided + "\"}"));
        answers.put("refund", call(first, AcquirerProtocol.REFUNDS, operation("r-refund", sold, 500)));
        assertThat(answers.get("declined").body()).contains("insufficient_funds");
        String batchReceipt = submit(first, "stl_before", List.of(
                new SettlementBatchLine("je-sale", "pay_sale", "mer_restart", sold, "capture", 1_999),
                new SettlementBatchLine("je-refund", "pay_sale", "mer_restart", sold, "refund", 500))).body();
        String batchReportBefore = batchReport(first, "stl_before");
        // The timeout card: the network approves and charges, and the caller is still waiting when the process dies.
        CompletableFuture<HttpResponse<String>> hanging = CompletableFuture.supplyAsync(() -> first.as(Identities.AUTH)
                .postJson(AcquirerProtocol.AUTHORIZATIONS, authorization("r-timeout", TIMEOUT_CARD, 999, true)));
        Await.until("the network to charge the timeout card", Duration.ofSeconds(30),
                () -> references(records(first)).contains("r-timeout"));
        List<Map<String, Object>> recordsBefore = records(first);
        String recordsBodyBefore = first.as(Identities.OPERATOR).get(AcquirerProtocol.RECORDS + "?limit=100000").body();
        String dayBefore = settlementReportOfToday(first);

        first.kill();
        assertThat(hanging).as("the caller of the timeout card heard nothing").failsWithin(Duration.ofSeconds(30));

        TestAcquirer second = start("second");
        assertThat(second.as(Identities.OPERATOR).get(AcquirerProtocol.RECORDS + "?limit=100000").body())
                .as("every record, in the same order, none twice").isEqualTo(recordsBodyBefore);
        assertThat(references(recordsBefore)).hasSize(8).doesNotHaveDuplicates();
        assertThat(settlementReportOfToday(second)).as("the day's settlement report").isEqualTo(dayBefore);
        assertThat(batchReport(second, "stl_before")).isEqualTo(batchReportBefore);
        assertThat(submit(second, "stl_before", List.of()).body()).as("a resubmitted batch: its first receipt").isEqualTo(batchReceipt);

        // The same references answer the same, and move nothing.
        assertThat(call(second, AcquirerProtocol.AUTHORIZATIONS, authorization("r-auth", APPROVED_CARD, 1_999, false)).body())
                .isEqualTo(answers.get("auth").body());
        assertThat(call(second, AcquirerProtocol.AUTHORIZATIONS, authorization("r-sale", APPROVED_CARD, 1_999, true)).body())
                .isEqualTo(answers.get("sale").body());
        assertThat(call(second, AcquirerProtocol.AUTHORIZATIONS, authorization("r-declined", DECLINED_CARD, 500, true)).body())
                .isEqualTo(answers.get("declined").body());
        assertThat(call(second, AcquirerProtocol.CAPTURES, operation("r-capture", held, 1_500)).body())
                .isEqualTo(answers.get("capture").body());
        assertThat(call(second, AcquirerProtocol.VOIDS, "{\"reference\": \"r-void\", \"authorization\": \"" + voided + "\"}").body())
                .isEqualTo(answers.get("void").body());
        assertThat(call(second, AcquirerProtocol.REFUNDS, operation("r-refund", sold, 500)).body())
                .isEqualTo(answers.get("refund").body());
        HttpResponse<String> inquiry = call(second, AcquirerProtocol.AUTHORIZATIONS, authorization("r-timeout", TIMEOUT_CARD, 999, true));
        Map<String, Object> charged = recordsBefore.stream().filter(r -> "r-timeout".equals(r.get("reference"))).findFirst().orElseThrow();
        assertThat(field(inquiry, "outcome")).isEqualTo("approved");
        assertThat(field(inquiry, "network_reference")).as("the charge made before the kill").isEqualTo(charged.get("network_reference"));
        assertThat(records(second)).as("repeats record nothing").hasSize(8);

        // The holds remember what was captured, voided and refunded.
        assertThat(call(second, AcquirerProtocol.CAPTURES, operation("r-capture-2", held, 100)).body()).contains("already_captured");
        assertThat(call(second, AcquirerProtocol.CAPTURES, operation("r-capture-voided", voided, 100)).body())
                .contains("authorization_voided");
        assertThat(call(second, AcquirerProtocol.REFUNDS, operation("r-refund-2", sold, 1_500)).body())
                .as("1,999 sold, 500 refunded").contains("amount_exceeds_captured");
        String lastRefund = field(call(second, AcquirerProtocol.REFUNDS, operation("r-refund-3", sold, 1_499)), "outcome");
        assertThat(lastRefund).isEqualTo("approved");

        // Settlement finds every record not settled yet, and none settled already.
        submit(second, "stl_after", List.of(
                new SettlementBatchLine("je-capture", "pay_auth", "mer_restart", held, "capture", 1_500),
                new SettlementBatchLine("je-sale-again", "pay_sale", "mer_restart", sold, "capture", 1_999),
                new SettlementBatchLine("je-refund-3", "pay_sale", "mer_restart", sold, "refund", 1_499),
                new SettlementBatchLine("je-timeout", "pay_timeout", "mer_restart", (String) charged.get("network_reference"),
                        "capture", 999)));
        SettlementReport after = Json.MAPPER.readValue(batchReport(second, "stl_after"), SettlementReport.class);
        assertThat(after.lines()).extracting(SettlementReportLine::reference)
                .containsExactlyInAnyOrder("je-capture", "je-refund-3", "je-timeout");
        List<Map<String, Object>> recordsAfter = records(second);
        assertThat(references(recordsAfter)).hasSize(12).doesNotHaveDuplicates().startsWith(references(recordsBefore).toArray());
    }

    @Test
    void everyAnswerGivenUnderLoadBeforeAKillIsOnRecordAfterIt() {
        TestAcquirer first = start("load-first");
        Map<String, String> answered = new ConcurrentHashMap<>();
        List<CompletableFuture<Void>> clients = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int client = t;
            clients.add(CompletableFuture.runAsync(() -> {
                TestHttp auth = first.as(Identities.AUTH);
                for (int i = 0; i < 10_000; i++) {
                    String reference = "load-" + client + "-" + i;
                    HttpResponse<String> response;
                    try {
                        response = auth.postJson(AcquirerProtocol.AUTHORIZATIONS,
                                authorization(reference, APPROVED_CARD, 100 + i, true));
                    } catch (RuntimeException killed) {
                        return;
                    }
                    if (response.statusCode() != 200) {
                        return;
                    }
                    answered.put(reference, field(response, "network_reference"));
                }
            }));
        }
        Await.until("some answers before the kill", Duration.ofSeconds(120), () -> answered.size() >= 100);
        first.kill();
        CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).join();
        Map<String, String> answeredBeforeTheKill = Map.copyOf(answered);

        TestAcquirer second = start("load-second");
        List<Map<String, Object>> records = records(second);
        assertThat(references(records)).doesNotHaveDuplicates();
        Map<Object, Object> kept = records.stream().collect(Collectors.toMap(r -> r.get("reference"), r -> r.get("network_reference")));
        assertThat(kept).as("every answered charge, with the network reference it was answered with")
                .containsAllEntriesOf(answeredBeforeTheKill);
    }
}
