package dev.nightjar.acquirer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.common.security.Identities;
import dev.nightjar.contracts.json.Json;
import dev.nightjar.testsupport.TestHttp;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The simulator's runtime faults and its settlement report, over its real HTTPS API. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FaultSwitchesIT {

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        SimulatorApi.environment(registry);
        registry.add("nightjar.acquirer.timeout-card-delay", () -> "1500ms");
    }

    @LocalServerPort
    int port;

    private TestHttp as(String identity) {
        return new SimulatorApi(port).as(identity);
    }

    private HttpResponse<String> faults(String settings) {
        return new SimulatorApi(port).switches("/admin/faults", settings);
    }

    @AfterEach
    void heal() {
        faults(null);
    }

    private HttpResponse<String> authorize(String reference, String number, long amount) {
        return as(Identities.AUTH).postJson("/v1/authorizations", """
                {"reference": "%s", "merchant_id": "mer_faults", "amount_minor": %d, "currency": "EUR",
                 "number": "%s", "exp_month": 12, "exp_year": 2030, "cvc": "123", "capture": true}
                """.formatted(reference, amount, number));
    }

    private List<?> records(String reference) {
        return Json.MAPPER.readValue(as(Identities.OPERATOR).get("/admin/records?reference=" + reference).body(), List.class);
    }

    @Test
    void outageAndErrorsRefuseWithoutActingAndOnlyOperatorsMaySwitchThem() {
        assertThat(faults("{\"outage\": true}").body()).contains("\"outage\":true");
        assertThat(authorize("ref-outage", "4242424242424242", 100).statusCode()).isEqualTo(503);
        faults("{\"error_rate\": 1.0}");
        assertThat(authorize("ref-error", "4242424242424242", 100).statusCode()).isEqualTo(500);
        assertThat(records("ref-outage")).isEmpty();
        assertThat(records("ref-error")).isEmpty();
        assertThat(as(Identities.AUTH).send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/admin/faults"))
                .DELETE(), Map.of()).statusCode()).isEqualTo(403);
        faults(null);
        assertThat(authorize("ref-error", "4242424242424242", 100).statusCode()).isEqualTo(200);
        assertThat(faults("{\"error_rate\": 2}").statusCode()).isEqualTo(400);
    }

    @Test
    void aTimeoutActsButAnswersLateAndTheSameReferenceLaterAnswersAtOnce() {
        faults("{\"timeout_rate\": 1.0}");
        long started = System.nanoTime();
        HttpResponse<String> late = authorize("ref-timeout", "4242424242424242", 300);
        assertThat((System.nanoTime() - started) / 1_000_000).as("kept waiting").isGreaterThanOrEqualTo(1400);
        assertThat(records("ref-timeout")).as("the network acted").hasSize(1);
        faults(null);
        HttpResponse<String> inquiry = authorize("ref-timeout", "4242424242424242", 300);
        assertThat(Json.MAPPER.readValue(inquiry.body(), Map.class).get("network_reference"))
                .isEqualTo(Json.MAPPER.readValue(late.body(), Map.class).get("network_reference"));
        assertThat(records("ref-timeout")).hasSize(1);
    }

    @Test
    void theTimeoutCardHangsOnlyTheFirstTime() {
        long started = System.nanoTime();
        authorize("ref-0259", "4000000000000259", 400);
        assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(1400);
        started = System.nanoTime();
        HttpResponse<String> again = authorize("ref-0259", "4000000000000259", 400);
        assertThat((System.nanoTime() - started) / 1_000_000).as("an inquiry").isLessThan(1400);
        assertThat(again.body()).contains("\"outcome\":\"approved\"");
        assertThat(records("ref-0259")).hasSize(1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void settlementReportListsTheDaysCapturesAndRefundsWithFees() {
        HttpResponse<String> sale = authorize("ref-settle-1", "4242424242424242", 10_000);
        String network = (String) Json.MAPPER.readValue(sale.body(), Map.class).get("network_reference");
        as(Identities.AUTH).postJson("/v1/refunds", "{\"reference\": \"ref-settle-r\", \"authorization\": \"" + network
                + "\", \"amount_minor\": 2500, \"currency\": \"EUR\"}");
        authorize("ref-settle-declined", "4000000000000002", 5_000);
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        Map<String, Object> report = Json.MAPPER.readValue(as(Identities.SETTLEMENT).get("/v1/settlement-reports/" + today).body(),
                Map.class);
        List<Map<String, Object>> lines = ((List<Map<String, Object>>) report.get("lines")).stream()
                .filter(line -> String.valueOf(line.get("reference")).startsWith("ref-settle")).toList();
        assertThat(lines).extracting(line -> line.get("reference")).containsExactly("ref-settle-1", "ref-settle-r");
        assertThat(lines.get(0)).containsEntry("amount_minor", 10_000).containsEntry("fee_minor", 90);
        assertThat(lines.get(1)).containsEntry("amount_minor", -2500).containsEntry("fee_minor", 0);
        assertThat(Json.MAPPER.readValue(as(Identities.SETTLEMENT).get("/v1/settlement-reports/2001-01-01").body(), Map.class)
                .get("lines")).asList().isEmpty();
        assertThat(as(Identities.SETTLEMENT).get("/v1/settlement-reports/yesterday").statusCode()).isEqualTo(400);
    }
}
