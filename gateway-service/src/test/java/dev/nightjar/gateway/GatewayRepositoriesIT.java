package dev.nightjar.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.common.error.ApiException;
import dev.nightjar.contracts.id.Ids;
import dev.nightjar.gateway.merchant.MerchantRepository;
import dev.nightjar.gateway.merchant.Merchants;
import dev.nightjar.gateway.review.ReviewDecisions;
import dev.nightjar.gateway.webhook.WebhookEndpoints;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The JPA-mapped aggregates (merchants and their clients, webhook endpoints, review decisions) against the real
 * schema Flyway makes, read back with plain SQL; and the JdbcClient statements sharing their transactions.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewayRepositoriesIT {

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        LoneGateway.environment(registry, "gateway_jpa");
        registry.add("nightjar.webhooks.max-endpoints-per-merchant", () -> "2");
    }

    @LocalServerPort
    int port;

    @Autowired
    Merchants merchants;

    @Autowired
    MerchantRepository merchantRows;

    @Autowired
    WebhookEndpoints endpoints;

    @Autowired
    ReviewDecisions decisions;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JdbcClient jdbc;

    @Test
    void aMerchantAndItsClientAreStoredWithTheScopesAsATextArray() {
        Merchants.CreatedMerchant created = merchants.create("Array Shop");

        assertThat(merchants.find(created.merchantId()))
                .contains(new Merchants.Merchant(created.merchantId(), "Array Shop", "active"));
        Merchants.Client client = merchants.client(created.clientId()).orElseThrow();
        assertThat(client.merchantId()).isEqualTo(created.merchantId());
        assertThat(client.scopes()).containsExactly("payments:read", "payments:write");
        assertThat(client.secretHash()).isNotBlank().isNotEqualTo(created.clientSecret());
        Map<String, Object> row = jdbc.sql("""
                        SELECT pg_typeof(scopes)::text AS type, scopes[2] AS second, c.created_at IS NOT NULL AS dated,
                               m.status FROM merchant_clients c JOIN merchants m ON m.id = c.merchant_id
                        WHERE c.client_id = :client""")
                .param("client", created.clientId()).query().singleRow();
        assertThat(row).containsEntry("type", "text[]").containsEntry("second", "payments:write")
                .containsEntry("dated", true).containsEntry("status", "active");
    }

    @Test
    void aRevokedClientOrADisabledMerchantHasNoClientForTheTokenEndpoint() {
        Merchants.CreatedMerchant revoked = merchants.create("Revoked Shop");
        jdbc.sql("UPDATE merchant_clients SET revoked_at = now() WHERE client_id = :client")
                .param("client", revoked.clientId()).update();
        assertThat(merchants.client(revoked.clientId())).isEmpty();

        Merchants.CreatedMerchant disabled = merchants.create("Disabled Shop");
        jdbc.sql("UPDATE merchants SET status = 'disabled' WHERE id = :id").param("id", disabled.merchantId()).update();
        assertThat(merchants.client(disabled.clientId())).isEmpty();
        assertThat(merchants.find(disabled.merchantId())).map(Merchants.Merchant::status).contains("disabled");
        assertThat(merchants.find(Ids.newId(Ids.MERCHANT))).isEmpty();
    }

    @Test
    void jdbcClientStatementsShareTheTransactionOfTheTransactionTemplate() {
        String kept = Ids.newId(Ids.MERCHANT);
        String rolledBack = Ids.newId(Ids.MERCHANT);
        transactions.executeWithoutResult(status -> {
            insertMerchant(kept);
            // the repository reads on the same connection: the row not yet committed is there
            assertThat(merchantRows.findById(kept)).isPresent();
        });
        assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
            insertMerchant(rolledBack);
            assertThat(merchantRows.findById(rolledBack)).isPresent();
            throw new IllegalStateException("abandoned");
        })).hasMessage("abandoned");

        assertThat(merchants.find(kept)).isPresent();
        assertThat(merchants.find(rolledBack)).isEmpty();
        assertThat(jdbc.sql("SELECT count(*) FROM merchants WHERE id = :id").param("id", rolledBack).query(Long.class).single())
                .isZero();
    }

    private void insertMerchant(String id) {
        jdbc.sql("INSERT INTO merchants (id, name) VALUES (:id, 'Jdbc Shop')").param("id", id).update();
    }

    @Test
    void aWebhookEndpointIsSavedListedAndDeletedOnce() {
        String merchantId = merchants.create("Hook Shop").merchantId();
        WebhookEndpoints.Created created = endpoints.create(merchantId, "https://hooks.example.com/a",
                List.of("payment.captured", "refund.succeeded"));

        assertThat(created.secret()).startsWith("whsec_");
        assertThat(created.endpoint().created()).isNotNull();
        assertThat(endpoints.list(merchantId)).containsExactly(created.endpoint());
        Map<String, Object> row = jdbc.sql("""
                        SELECT pg_typeof(events)::text AS type, cardinality(events) AS count, created_at
                        FROM webhook_endpoints WHERE id = :id""")
                .param("id", created.endpoint().id()).query().singleRow();
        assertThat(row).containsEntry("type", "text[]").containsEntry("count", 2);
        assertThat(((java.sql.Timestamp) row.get("created_at")).toInstant()).isEqualTo(created.endpoint().created());

        assertThat(endpoints.delete(Ids.newId(Ids.MERCHANT), created.endpoint().id())).as("another merchant's").isFalse();
        assertThat(endpoints.delete(merchantId, created.endpoint().id())).isTrue();
        assertThat(endpoints.delete(merchantId, created.endpoint().id())).as("already deleted").isFalse();
        assertThat(endpoints.list(merchantId)).isEmpty();
        assertThat(jdbc.sql("SELECT deleted_at IS NOT NULL FROM webhook_endpoints WHERE id = :id")
                .param("id", created.endpoint().id()).query(Boolean.class).single()).isTrue();
    }

    @Test
    void aMerchantMayRegisterNoMoreWebhookEndpointsThanTheLimit() {
        String merchantId = merchants.create("Busy Hook Shop").merchantId();
        String first = endpoints.create(merchantId, "https://hooks.example.com/1", List.of("payment.captured")).endpoint().id();
        endpoints.create(merchantId, "https://hooks.example.com/2", List.of("payment.captured"));

        assertThatThrownBy(() -> endpoints.create(merchantId, "https://hooks.example.com/3", List.of("payment.captured")))
                .isInstanceOf(ApiException.class).hasMessageContaining("at most 2");
        assertThat(endpoints.delete(merchantId, first)).isTrue();
        endpoints.create(merchantId, "https://hooks.example.com/3", List.of("payment.captured"));
        assertThat(endpoints.list(merchantId)).hasSize(2);
    }

    @Test
    void aReviewDecisionIsRecordedWithItsWireString() {
        Merchants.CreatedMerchant merchant = merchants.create("Review Shop");
        String paymentId = Ids.newId(Ids.PAYMENT);
        decisions.record(merchant.merchantId(), paymentId, "reject", "alice", "stolen card reported", merchant.clientId());

        Map<String, Object> row = jdbc.sql("""
                        SELECT merchant_id, decision, reviewer, note, client_id, decided_at IS NOT NULL AS dated
                        FROM review_decisions WHERE payment_id = :payment""")
                .param("payment", paymentId).query().singleRow();
        assertThat(row).containsEntry("merchant_id", merchant.merchantId()).containsEntry("decision", "reject")
                .containsEntry("reviewer", "alice").containsEntry("note", "stolen card reported")
                .containsEntry("client_id", merchant.clientId()).containsEntry("dated", true);
        assertThatThrownBy(() -> decisions.record(merchant.merchantId(), paymentId, "maybe", null, null, merchant.clientId()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDecisionTransactionServiceDidNotCarryOutIsAuditedButNotRecorded() {
        MerchantSession session = new MerchantSession(port);
        String paymentId = Ids.newId(Ids.PAYMENT);
        long audited = auditRowsAbout(paymentId);

        assertThat(session.post(session.writeToken(), "/v1/reviews/" + paymentId + "/approve", "{\"reviewer\": \"bob\"}")
                .statusCode()).as("transaction-service is unreachable here").isEqualTo(503);
        assertThat(auditRowsAbout(paymentId)).isEqualTo(audited + 1);
        assertThat(jdbc.sql("SELECT count(*) FROM review_decisions WHERE payment_id = :payment")
                .param("payment", paymentId).query(Long.class).single()).isZero();
    }

    private long auditRowsAbout(String subject) {
        return jdbc.sql("SELECT count(*) FROM audit_log WHERE subject = :subject").param("subject", subject)
                .query(Long.class).single();
    }
}
