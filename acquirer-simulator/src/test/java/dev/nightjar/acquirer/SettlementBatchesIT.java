package dev.nightjar.acquirer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.common.security.Identities;
import dev.nightjar.contracts.contract.AcquirerProtocol;
import dev.nightjar.contracts.contract.AcquirerProtocol.SettlementBatchLine;
import dev.nightjar.contracts.contract.AcquirerProtocol.SettlementBatchRequest;
import dev.nightjar.contracts.contract.AcquirerProtocol.SettlementReport;
import dev.nightjar.contracts.contract.AcquirerProtocol.SettlementReportLine;
import dev.nightjar.contracts.json.Json;
import dev.nightjar.testsupport.TestHttp;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Settlement batches, their reports and the report faults, over the simulator's real HTTPS API. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SettlementBatchesIT {

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        SimulatorApi.environment(registry);
    }

    @LocalServerPort
    int port;

    private TestHttp as(String identity) {
        return new SimulatorApi(port).as(identity);
    }

    @AfterEach
    void healReports() {
        reportFaults(null);
    }

    private HttpResponse<String> reportFaults(String settings) {
        return new SimulatorApi(port).switches(AcquirerProtocol.REPORT_FAULTS, settings);
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    private HttpResponse<String> submit(String batchId, List<SettlementBatchLine> lines) {
        return as(Identities.SETTLEMENT).postJson(AcquirerProtocol.SETTLEMENT_BATCHES,
                Json.MAPPER.writeValueAsString(new SettlementBatchRequest(batchId, "EUR", lines)));
    }

    private SettlementReport report(String batchId) {
        HttpResponse<String> response = as(Identities.SETTLEMENT).get(AcquirerProtocol.SETTLEMENT_BATCHES + "/" + batchId + "/report");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.MAPPER.readValue(response.body(), SettlementReport.class);
    }

    private static Map<String, SettlementReportLine> byReference(SettlementReport report) {
        return report.lines().stream().collect(Collectors.toMap(SettlementReportLine::reference, Function.identity()));
    }

    /** Imports approved captures of {@code amounts}, each under an authorization of its own; returns the authorizations. */
    private List<String> importCaptures(String merchant, long... amounts) {
        List<Map<String, Object>> records = new ArrayList<>();
        List<String> authorizations = new ArrayList<>();
        for (long amount : amounts) {
            String authorization = unique("nw-auth");
            authorizations.add(authorization);
            records.add(Map.of("reference", unique("ext-cap"), "authorization", authorization, "operation", "capture",
                    "merchant_id", merchant, "amount_minor", amount, "currency", "EUR"));
        }
        HttpResponse<String> imported = as(Identities.OPERATOR).postJson(AcquirerProtocol.RECORDS,
                Json.MAPPER.writeValueAsString(records));
        assertThat(imported.body()).contains("\"imported\":" + amounts.length);
        return authorizations;
    }

    private String networkReference(HttpResponse<String> response) {
        return (String) Json.MAPPER.readValue(response.body(), Map.class).get("network_reference");
    }

    @Test
    void batchLinesClearAgainstTheNetworksOwnRecordsWithTheAcquirersFees() {
        String sale = networkReference(as(Identities.AUTH).postJson("/v1/authorizations", """
                {"reference": "%s", "merchant_id": "mer_clear", "amount_minor": 10000, "currency": "EUR",
                 "number": "4242424242424242", "exp_month": 12, "exp_year": 2030, "cvc": "123", "capture": true}
                """.formatted(unique("ref-sale"))));
        as(Identities.AUTH).postJson("/v1/refunds", "{\"reference\": \"" + unique("ref-refund") + "\", \"authorization\": \""
                + sale + "\", \"amount_minor\": 2500, \"currency\": \"EUR\"}");
        String imported = importCaptures("mer_clear", 5_000).get(0);
        String batch = unique("stl");
        HttpResponse<String> receipt = submit(batch, List.of(
                new SettlementBatchLine("je-sale", "pay_1", "mer_clear", sale, "capture", 10_000),
                new SettlementBatchLine("je-refund", "pay_1", "mer_clear", sale, "refund", 2_500),
                new SettlementBatchLine("je-imported", "pay_2", "mer_clear", imported, "capture", 5_000),
                new SettlementBatchLine("je-unknown", "pay_3", "mer_clear", "nw_nobody_knows", "capture", 700),
                // a capture line against a refund-only authorization finds nothing either
                new SettlementBatchLine("je-wrong-way", "pay_2", "mer_clear", imported, "refund", 5_000)));
        assertThat(receipt.statusCode()).as(receipt.body()).isEqualTo(200);
        assertThat(receipt.body()).contains("\"batch_id\":\"" + batch + "\"").contains("\"lines\":5")
                .contains("\"acquirer\":\"acquirer-a\"");

        Map<String, SettlementReportLine> lines = byReference(report(batch));
        assertThat(lines).containsOnlyKeys("je-sale", "je-refund", "je-imported");
        assertThat(lines.get("je-sale").amountMinor()).isEqualTo(10_000);
        assertThat(lines.get("je-sale").feeMinor()).isEqualTo(90);
        assertThat(lines.get("je-sale").networkReference()).isEqualTo(sale);
        assertThat(lines.get("je-refund").amountMinor()).isEqualTo(-2_500);
        assertThat(lines.get("je-refund").feeMinor()).isZero();
        assertThat(lines.get("je-imported").amountMinor()).isEqualTo(5_000);
        assertThat(lines.get("je-imported").feeMinor()).isEqualTo(45);
        assertThat(lines.get("je-imported").merchantId()).isEqualTo("mer_clear");
    }

    @Test
    void aResubmittedBatchGetsItsFirstAnswerAndNoRecordSettlesTwice() {
        List<String> authorizations = importCaptures("mer_twice", 1_000, 2_000);
        String batch = unique("stl");
        List<SettlementBatchLine> lines = List.of(
                new SettlementBatchLine("je-a", "pay_a", "mer_twice", authorizations.get(0), "capture", 1_000),
                new SettlementBatchLine("je-b", "pay_b", "mer_twice", authorizations.get(1), "capture", 2_000));
        String first = submit(batch, lines).body();
        // the report faults switched on now do not touch a batch already reported
        reportFaults("{\"drop_references\": [\"je-a\"]}");
        assertThat(submit(batch, lines.subList(0, 1)).body()).isEqualTo(first);
        assertThat(report(batch).lines()).hasSize(2);

        String again = unique("stl");
        submit(again, List.of(new SettlementBatchLine("je-a2", "pay_a", "mer_twice", authorizations.get(0), "capture", 1_000)));
        assertThat(report(again).lines()).as("the record is already settled in another batch").isEmpty();

        HttpResponse<String> unknown = as(Identities.SETTLEMENT).get(AcquirerProtocol.SETTLEMENT_BATCHES + "/stl_nope/report");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("\"code\":\"resource_missing\"");
    }

    @Test
    void anAmountDifferentFromTheRecordIsReportedAtTheRecordsAmount() {
        String authorization = importCaptures("mer_amounts", 4_000).get(0);
        String batch = unique("stl");
        submit(batch, List.of(new SettlementBatchLine("je-more", "pay_m", "mer_amounts", authorization, "capture", 4_100)));
        assertThat(report(batch).lines()).singleElement()
                .satisfies(line -> assertThat(line.amountMinor()).isEqualTo(4_000));
    }

    @Test
    void reportFaultsDropAlterAndAddLinesUntilCleared() {
        List<String> authorizations = importCaptures("mer_faulty", 1_000, 2_000, 3_000);
        HttpResponse<String> set = reportFaults("""
                {"drop_references": ["je-1"], "amount_delta": {"je-2": 5}, "fee_delta": {"je-3": -1},
                 "extra_lines": [{"merchant_id": "mer_faulty", "operation": "refund", "amount_minor": 700}]}""");
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        assertThat(as(Identities.OPERATOR).get(AcquirerProtocol.REPORT_FAULTS).body()).contains("\"drop_references\":[\"je-1\"]");
        String batch = unique("stl");
        submit(batch, List.of(
                new SettlementBatchLine("je-1", "pay_1", "mer_faulty", authorizations.get(0), "capture", 1_000),
                new SettlementBatchLine("je-2", "pay_2", "mer_faulty", authorizations.get(1), "capture", 2_000),
                new SettlementBatchLine("je-3", "pay_3", "mer_faulty", authorizations.get(2), "capture", 3_000)));
        SettlementReport report = report(batch);
        Map<String, SettlementReportLine> lines = byReference(report);
        assertThat(lines).doesNotContainKey("je-1").containsKeys("je-2", "je-3").hasSize(3);
        assertThat(lines.get("je-2").amountMinor()).isEqualTo(2_005);
        assertThat(lines.get("je-3").feeMinor()).isEqualTo(26);
        SettlementReportLine extra = report.lines().stream().filter(line -> line.reference().startsWith("acq_extra_"))
                .findFirst().orElseThrow();
        assertThat(extra.amountMinor()).isEqualTo(-700);
        assertThat(extra.merchantId()).isEqualTo("mer_faulty");

        reportFaults(null);
        String clean = unique("stl");
        List<String> more = importCaptures("mer_faulty", 1_000);
        submit(clean, List.of(new SettlementBatchLine("je-1", "pay_4", "mer_faulty", more.get(0), "capture", 1_000)));
        assertThat(report(clean).lines()).singleElement().satisfies(line -> assertThat(line.feeMinor()).isEqualTo(9));
    }

    @Test
    void badBatchesImportsAndFaultsAreRefusedNamingTheField() {
        assertThat(submit(" ", List.of()).body()).contains("\"param\":\"batch_id\"");
        assertThat(as(Identities.SETTLEMENT).postJson(AcquirerProtocol.SETTLEMENT_BATCHES,
                "{\"batch_id\": \"b\", \"currency\": \"XXZ\", \"lines\": []}").body()).contains("\"param\":\"currency\"");
        HttpResponse<String> badLine = submit("b", List.of(new SettlementBatchLine("r", "p", "m", "a", "void", 1)));
        assertThat(badLine.statusCode()).isEqualTo(400);
        assertThat(badLine.body()).contains("\"param\":\"lines[0].operation\"");
        assertThat(submit("b", List.of(new SettlementBatchLine("r", "p", "m", "a", "capture", 0))).body())
                .contains("\"param\":\"lines[0].amount_minor\"");

        HttpResponse<String> badImport = as(Identities.OPERATOR).postJson(AcquirerProtocol.RECORDS, """
                [{"reference": "x", "authorization": "a", "operation": "capture", "merchant_id": "m", "amount_minor": 5, "currency": "EUR"},
                 {"reference": "y", "authorization": "a", "operation": "capture", "merchant_id": "m", "amount_minor": -5, "currency": "EUR"}]""");
        assertThat(badImport.statusCode()).isEqualTo(400);
        assertThat(badImport.body()).contains("\"param\":\"[1].amount_minor\"");
        assertThat(as(Identities.OPERATOR).postJson(AcquirerProtocol.RECORDS, """
                [{"reference": "x", "operation": "capture", "merchant_id": "m", "amount_minor": 5, "currency": "EUR"}]""").body())
                .contains("\"param\":\"[0].authorization\"");
        assertThat(as(Identities.OPERATOR).get("/admin/records?reference=x").body()).as("nothing of a refused import").isEqualTo("[]");

        HttpResponse<String> badRate = reportFaults("{\"drop_rate\": 2}");
        assertThat(badRate.statusCode()).isEqualTo(400);
        assertThat(badRate.body()).contains("\"param\":\"drop_rate\"");
        assertThat(reportFaults("{\"extra_lines\": [{\"operation\": \"capture\", \"amount_minor\": 1}]}").body())
                .contains("\"param\":\"extra_lines[0].merchant_id\"");
        assertThat(reportFaults("not json").statusCode()).isEqualTo(400);
    }

    @Test
    void onlyOperatorsSwitchReportFaultsAndImportRecords() {
        assertThat(as(Identities.SETTLEMENT).send(HttpRequest.newBuilder(URI.create("https://localhost:" + port
                + AcquirerProtocol.REPORT_FAULTS)).DELETE(), Map.of()).statusCode()).isEqualTo(403);
        assertThat(as(Identities.SETTLEMENT).postJson(AcquirerProtocol.RECORDS, "[]").statusCode()).isEqualTo(403);
        assertThat(as(Identities.RISK).postJson(AcquirerProtocol.SETTLEMENT_BATCHES, "{}").statusCode()).isEqualTo(403);
    }

    @Test
    void aHundredThousandLineBatchClearsInOnePass() {
        int count = 100_000;
        String run = UUID.randomUUID().toString();
        StringBuilder records = new StringBuilder("[");
        List<SettlementBatchLine> lines = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String authorization = "nw-big-" + run + "-" + i;
            records.append(i == 0 ? "" : ",").append("{\"reference\":\"big-").append(run).append('-').append(i)
                    .append("\",\"authorization\":\"").append(authorization)
                    .append("\",\"operation\":\"sale\",\"merchant_id\":\"mer_big_").append(i % 50)
                    .append("\",\"amount_minor\":").append(100 + i).append(",\"currency\":\"EUR\"}");
            lines.add(new SettlementBatchLine("je-big-" + i, "pay_big_" + i, "mer_big_" + (i % 50), authorization, "capture", 100 + i));
        }
        assertThat(as(Identities.OPERATOR).postJson(AcquirerProtocol.RECORDS, records.append(']').toString()).body())
                .contains("\"imported\":" + count);
        String batch = unique("stl-big");
        long started = System.nanoTime();
        assertThat(submit(batch, lines).statusCode()).isEqualTo(200);
        SettlementReport report = report(batch);
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.println("a " + count + "-line settlement batch: submitted and its report fetched in " + millis + " ms");
        assertThat(report.lines()).hasSize(count);
        assertThat(report.lines().get(count - 1).amountMinor()).isEqualTo(100 + count - 1);
    }
}
