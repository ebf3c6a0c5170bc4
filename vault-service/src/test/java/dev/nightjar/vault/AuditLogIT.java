package dev.nightjar.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.common.security.Identities;
import dev.nightjar.contracts.json.Json;
import dev.nightjar.testsupport.ServiceTestEnvironment;
import dev.nightjar.testsupport.TestHttp;
import dev.nightjar.testsupport.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Every detokenization in a hash-chained, append-only audit log, and any tampering is found. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditLogIT {

    private static TestPostgres.TestDatabase database;

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) throws Exception {
        ServiceTestEnvironment.tls(registry);
        database = ServiceTestEnvironment.database(registry, "vault_audit", "vault");
        Path keys = Files.createTempDirectory("vault-keys");
        registry.add("nightjar.vault.keystore.path", () -> keys.resolve("kek.p12").toString());
        registry.add("nightjar.vault.keystore.password", () -> "test-password");
    }

    @LocalServerPort
    int port;

    private TestHttp as(String identity) {
        return new TestHttp("https://localhost:" + port, identity);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> verify() {
        return Json.MAPPER.readValue(as(Identities.OPERATOR).get("/internal/v1/audit/verify").body(), Map.class);
    }

    @SuppressWarnings("unchecked")
    private void detokenizeSome(int count) {
        for (int i = 0; i < count; i++) {
            String body = as(Identities.GATEWAY).postJson("/internal/v1/tokens",
                    "{\"merchant_id\": \"mer_audit\", \"number\": \"" + Cards.random() + "\", \"exp_month\": 1, \"exp_year\": 2032}").body();
            String token = (String) Json.MAPPER.readValue(body, Map.class).get("token");
            assertThat(as(Identities.AUTH).postJson("/internal/v1/tokens/" + token + "/detokenize",
                    "{\"merchant_id\": \"mer_audit\", \"payment_id\": \"pay_" + i + "\"}").statusCode()).isEqualTo(200);
        }
    }

    private static void asSuperuser(String sql) throws Exception {
        try (Connection connection = TestPostgres.server().getDatabase("postgres", database.name()).getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @Test
    @Order(1)
    @SuppressWarnings("unchecked")
    void everyDetokenizationIsAuditedWithItsCallerAndTheChainIsIntact() throws Exception {
        detokenizeSome(5);
        as(Identities.AUTH).postJson("/internal/v1/tokens/tok_missing/detokenize", "{\"merchant_id\": \"mer_audit\"}");
        Map<String, Object> result = verify();
        assertThat((List<String>) result.get("findings")).isEmpty();
        assertThat(((Number) result.get("rows")).longValue()).isEqualTo(6);
        try (Connection connection = TestPostgres.server().getDatabase("postgres", database.name()).getConnection();
             Statement statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT actor, action, details FROM audit_log ORDER BY seq")) {
            int detokenized = 0;
            while (rows.next()) {
                assertThat(rows.getString(1)).isEqualTo("auth-service");
                if (rows.getString(2).equals("card.detokenize")) {
                    detokenized++;
                    assertThat(rows.getString(3)).startsWith("{\"payment_id\":\"pay_");
                } else {
                    assertThat(rows.getString(2)).isEqualTo("card.detokenize.not_found");
                }
            }
            assertThat(detokenized).isEqualTo(5);
        }
    }

    @Test
    @Order(2)
    void vaultsOwnRoleCannotChangeOrRemoveAuditRows() throws Exception {
        try (Connection connection = DriverManager.getConnection(database.url(), database.appRole(), database.password());
             Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.executeUpdate("UPDATE audit_log SET actor = 'nobody'"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> statement.executeUpdate("DELETE FROM audit_log"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> statement.executeUpdate("TRUNCATE audit_log"))
                    .hasMessageContaining("permission denied");
        }
    }

    @Test
    @Order(3)
    @SuppressWarnings("unchecked")
    void changedRowIsFound() throws Exception {
        asSuperuser("UPDATE audit_log SET actor = 'gateway-service' WHERE seq = 2");
        assertThat((List<String>) verify().get("findings")).anySatisfy(finding ->
                assertThat(finding).contains("row 2 does not match its hash"));
        asSuperuser("UPDATE audit_log SET actor = 'auth-service' WHERE seq = 2");
        assertThat((List<String>) verify().get("findings")).isEmpty();
    }

    @Test
    @Order(4)
    @SuppressWarnings("unchecked")
    void removedRowIsFound() throws Exception {
        asSuperuser("CREATE TABLE audit_backup AS SELECT * FROM audit_log WHERE seq = 3");
        asSuperuser("DELETE FROM audit_log WHERE seq = 3");
        List<String> findings = (List<String>) verify().get("findings");
        assertThat(findings).anySatisfy(finding -> assertThat(finding).contains("rows 3..3 are missing"));
        assertThat(findings).anySatisfy(finding -> assertThat(finding).contains("row 4 does not follow its predecessor"));
        asSuperuser("INSERT INTO audit_log SELECT * FROM audit_backup; DROP TABLE audit_backup");
        assertThat((List<String>) verify().get("findings")).isEmpty();
    }

    @Test
    @Order(5)
    @SuppressWarnings("unchecked")
    void insertedRowIsFound() throws Exception {
        // A forged row slipped in after the last one, with a made-up hash.
        asSuperuser("""
                INSERT INTO audit_log (seq, at, actor, action, subject, merchant_id, details, previous_hash, hash)
                SELECT seq + 1, now(), 'auth-service', 'card.detokenize', 'tok_forged', 'mer_audit', '{}', hash,
                       sha256('forged'::bytea)
                FROM audit_log ORDER BY seq DESC LIMIT 1""");
        assertThat((List<String>) verify().get("findings")).anySatisfy(finding ->
                assertThat(finding).contains("does not match its hash"));
    }
}
