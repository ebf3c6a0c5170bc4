package dev.nightjar.acquirer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.common.security.Identities;
import dev.nightjar.testsupport.ServiceTestEnvironment;
import dev.nightjar.testsupport.TestHttp;
import dev.nightjar.testsupport.TestTls;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "nightjar.acquirer.timeout-card-delay=1ms")
class AcquirerSimulatorIT {

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        ServiceTestEnvironment.tls(registry);
    }

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    private TestHttp as(String identity) {
        return new TestHttp("https://localhost:" + port, identity);
    }

    private static String authorization(String reference, String number, boolean capture) {
        return """
                {"reference": "%s", "merchant_id": "mer_1", "amount_minor": 1999, "currency": "EUR",
                 "number": "%s", "exp_month": 12, "exp_year": 2030, "cvc": "123", "capture": %s}
                """.formatted(reference, number, capture);
    }

    @Test
    void approvedTestCardIsApprovedAndCapturedWhenAsked() {
        HttpResponse<String> response = as(Identities.AUTH).postJson("/v1/authorizations",
                authorization("ref-approve", "4242424242424242", true));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"outcome\":\"approved\"").contains("\"captured\":true")
                .contains("\"authorization_code\":\"");
    }

    @Test
    void eachDeclineTestCardAnswersItsDeclineCode() {
        String[][] cards = {
            {"4000000000000002", "do_not_honor"}, {"4000000000009995", "insufficient_funds"},
            {"4000000000009987", "lost_card"}, {"4000000000009979", "stolen_card"},
            {"4000000000000069", "expired_card"}, {"4000000000000127", "incorrect_cvc"}};
        for (String[] card : cards) {
            HttpResponse<String> response = as(Identities.AUTH).postJson("/v1/authorizations",
                    authorization("ref-" + card[1], card[0], true));
            assertThat(response.body()).contains("\"outcome\":\"declined\"").contains("\"decline_code\":\"" + card[1] + "\"");
        }
    }

    @Test
    void errorTestCardAnswersServiceUnavailable() {
        HttpResponse<String> response = as(Identities.AUTH).postJson("/v1/authorizations",
                authorization("ref-error", "4000000000000119", true));
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("processing_error");
    }

    @Test
    void repeatedReferenceGetsTheFirstAnswerAndOneRecord() {
        HttpResponse<String> first = as(Identities.AUTH).postJson("/v1/authorizations",
                authorization("ref-twice", "4242424242424242", true));
        HttpResponse<String> second = as(Identities.AUTH).postJson("/v1/authorizations",
                authorization("ref-twice", "4242424242424242", true));
        assertThat(second.body()).isEqualTo(first.body());
        HttpResponse<String> records = as(Identities.OPERATOR).get("/admin/records?reference=ref-twice");
        assertThat(records.statusCode()).isEqualTo(200);
        assertThat(records.body().split("\"reference\"")).hasSize(2);
        assertThat(records.body()).contains("\"card_last4\":\"4242\"").doesNotContain("4242424242424242");
    }

    @SuppressWarnings("unchecked")
    private String networkReference(HttpResponse<String> response) {
        return (String) dev.nightjar.contracts.json.Json.MAPPER.readValue(response.body(), java.util.Map.class).get("network_reference");
    }

    private HttpResponse<String> operation(String path, String reference, String authorization, long amount) {
        return as(Identities.AUTH).postJson(path, """
                {"reference": "%s", "authorization": "%s", "amount_minor": %d, "currency": "EUR"}
                """.formatted(reference, authorization, amount));
    }

    @Test
    void partialCaptureThenRefundsUpToWhatWasCaptured() {
        String authorization = networkReference(as(Identities.AUTH).postJson("/v1/authorizations",
                authorization("ref-auth-1", "4242424242424242", false)));
        assertThat(operation("/v1/captures", "ref-cap-1", authorization, 1500).body()).contains("\"outcome\":\"approved\"");
        assertThat(operation("/v1/captures", "ref-cap-2", authorization, 100).body()).contains("already_captured");
        assertThat(operation("/v1/refunds", "ref-rf-1", authorization, 1000).body()).contains("\"outcome\":\"approved\"");
        assertThat(operation("/v1/refunds", "ref-rf-2", authorization, 501).body()).contains("amount_exceeds_captured");
        assertThat(operation("/v1/refunds", "ref-rf-3", authorization, 500).body()).contains("\"outcome\":\"approved\"");
        // A repeated reference is the first answer again, not a second refund.
        assertThat(operation("/v1/refunds", "ref-rf-3", authorization, 500).body()).contains("\"outcome\":\"approved\"");
        assertThat(operation("/v1/refunds", "ref-rf-4", authorization, 1).body()).contains("amount_exceeds_captured");
    }

    @Test
    void captureBeyondTheAuthorizationOrAfterAVoidIsDeclined() {
        String authorization = networkReference(as(Identities.AUTH).postJson("/v1/authorizations",
                authorization("ref-auth-2", "4242424242424242", false)));
        assertThat(operation("/v1/captures", "ref-cap-3", authorization, 2000).body()).contains("amount_exceeds_authorization");
        assertThat(as(Identities.AUTH).postJson("/v1/voids", "{\"reference\": \"ref-void-1\", \"authorization\": \""
                + authorization + "\"}").body()).contains("\"outcome\":\"approved\"");
        assertThat(operation("/v1/captures", "ref-cap-4", authorization, 100).body()).contains("authorization_voided");
        assertThat(operation("/v1/captures", "ref-cap-5", "nw_unknown", 100).body()).contains("authorization_not_found");
    }

    @Test
    void callerOutsideTheCallGraphIsRefused() {
        HttpResponse<String> response = as(TestTls.STRANGER).postJson("/v1/authorizations",
                authorization("ref-stranger", "4242424242424242", true));
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("caller_not_allowed");
        // auth-service may authorize but not read the admin records.
        assertThat(as(Identities.AUTH).get("/admin/records").statusCode()).isEqualTo(403);
    }

    @Test
    void callerWithoutClientCertificateCannotEvenConnect() {
        assertThatThrownBy(() -> as(null).get("/v1/test-cards")).hasRootCauseInstanceOf(javax.net.ssl.SSLException.class);
    }

    @Test
    void healthAndMetricsAnswerOnTheManagementPortWithoutClientCertificate() {
        TestHttp management = new TestHttp("https://localhost:" + managementPort, null);
        assertThat(management.get("/actuator/health").body()).contains("\"status\":\"UP\"");
        assertThat(management.get("/actuator/prometheus").body()).contains("http_server_requests");
    }
}
