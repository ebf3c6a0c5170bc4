package dev.nightjar.risk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.common.security.Identities;
import dev.nightjar.testsupport.Await;
import dev.nightjar.testsupport.ServiceTestEnvironment;
import dev.nightjar.testsupport.TestHttp;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RiskServiceIT {

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        ServiceTestEnvironment.tls(registry);
        ServiceTestEnvironment.database(registry, "risk", "risk");
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    private HttpResponse<String> decide(String caller, String paymentId, String bin, String last4) {
        return new TestHttp("https://localhost:" + port, caller).postJson("/internal/v1/decisions", """
                {"payment_id": "%s", "merchant_id": "mer_r", "amount_minor": 1999, "currency": "EUR",
                 "card": {"brand": "visa", "bin": "%s", "last4": "%s", "exp_month": 12, "exp_year": 2030, "fingerprint": "fp"}}
                """.formatted(paymentId, bin, last4));
    }

    @Test
    void ordinaryCardIsAllowed() {
        HttpResponse<String> response = decide(Identities.TRANSACTION, "pay_allow", "424242", "4242");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"decision\":\"allow\"");
    }

    @Test
    void reviewTestCardIsHeldForReview() {
        assertThat(decide(Identities.TRANSACTION, "pay_review", "400000", "4954").body())
                .contains("\"decision\":\"review\"").contains("test_card_review");
    }

    @Test
    void fraudTestCardIsBlocked() {
        assertThat(decide(Identities.TRANSACTION, "pay_block", "410000", "0019").body())
                .contains("\"decision\":\"block\"").contains("\"score\":95");
    }

    @Test
    void decisionsAreLoggedInTheDatabase() {
        decide(Identities.TRANSACTION, "pay_logged", "400000", "4954");
        String decision = Await.until("the decision row", Duration.ofSeconds(10), () -> jdbc
                .sql("SELECT decision FROM risk_decisions WHERE payment_id = 'pay_logged'")
                .query(String.class).optional().orElse(null));
        assertThat(decision).isEqualTo("review");
    }

    @Test
    void settlementServiceCannotAskForDecisions() {
        assertThat(decide(Identities.SETTLEMENT, "pay_x", "424242", "4242").statusCode()).isEqualTo(403);
    }
}
