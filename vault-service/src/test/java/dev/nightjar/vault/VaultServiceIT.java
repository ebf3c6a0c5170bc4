package dev.nightjar.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.common.security.Identities;
import dev.nightjar.contracts.json.Json;
import dev.nightjar.platform.pki.LocalCertificateAuthority;
import dev.nightjar.platform.pki.TlsContexts;
import dev.nightjar.testsupport.ServiceTestEnvironment;
import dev.nightjar.testsupport.TestHttp;
import dev.nightjar.testsupport.TestPostgres;
import dev.nightjar.testsupport.TestTls;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class VaultServiceIT {

    private static final String VISA = "4242424242424242";

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) throws Exception {
        ServiceTestEnvironment.tls(registry);
        ServiceTestEnvironment.database(registry, "vault", "vault");
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
    private Map<String, Object> tokenize(String merchant, String number) {
        HttpResponse<String> response = as(Identities.GATEWAY).postJson("/internal/v1/tokens", """
                {"merchant_id": "%s", "number": "%s", "exp_month": 12, "exp_year": 2030, "cvc": "123"}
                """.formatted(merchant, number));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return Json.MAPPER.readValue(response.body(), Map.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> card(Map<String, Object> token) {
        return (Map<String, Object>) token.get("card");
    }

    @Test
    void tokenizeReturnsATokenWithCardDetailsButNeverTheNumber() {
        Map<String, Object> token = tokenize("mer_a", VISA);
        assertThat((String) token.get("token")).startsWith("tok_");
        assertThat(card(token)).containsEntry("brand", "visa").containsEntry("last4", "4242").containsEntry("bin", "424242");
        assertThat(token.toString()).doesNotContain(VISA);
    }

    @Test
    void storedRowHoldsOnlyCiphertext() throws Exception {
        Map<String, Object> token = tokenize("mer_a", VISA);
        try (Connection connection = TestPostgres.server().getDatabase("postgres", "vault").getConnection();
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT * FROM card_tokens WHERE token = '" + token.get("token") + "'")) {
            assertThat(row.next()).isTrue();
            StringBuilder everything = new StringBuilder();
            for (int i = 1; i <= row.getMetaData().getColumnCount(); i++) {
                Object value = row.getObject(i);
                everything.append(value instanceof byte[] bytes ? new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1) : value);
            }
            assertThat(everything.toString()).doesNotContain(VISA).doesNotContain("123\"");
        }
    }

    @Test
    void cardTokensCarryTheirKeyAndTheForeignKeysIndexOnly() throws Exception {
        // a token is read by its value; every other index is a cost on every tokenization
        try (Connection connection = TestPostgres.server().getDatabase("postgres", "vault").getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT indexname FROM pg_indexes WHERE tablename = 'card_tokens' ORDER BY indexname")) {
            java.util.List<String> indexes = new java.util.ArrayList<>();
            while (rows.next()) {
                indexes.add(rows.getString(1));
            }
            assertThat(indexes).containsExactly("card_tokens_data_key", "card_tokens_pkey");
        }
    }

    @Test
    void fingerprintIsStableWithinAMerchantAndDiffersAcrossMerchants() {
        String first = (String) card(tokenize("mer_a", VISA)).get("fingerprint");
        String again = (String) card(tokenize("mer_a", VISA)).get("fingerprint");
        String otherMerchant = (String) card(tokenize("mer_b", VISA)).get("fingerprint");
        String otherCard = (String) card(tokenize("mer_a", "5555555555554444")).get("fingerprint");
        assertThat(again).isEqualTo(first);
        assertThat(otherMerchant).isNotEqualTo(first);
        assertThat(otherCard).isNotEqualTo(first);
    }

    @Test
    void authServiceDetokenizesAndGetsTheCvcOnlyOnce() {
        String token = (String) tokenize("mer_a", VISA).get("token");
        HttpResponse<String> first = as(Identities.AUTH).postJson("/internal/v1/tokens/" + token + "/detokenize",
                "{\"merchant_id\": \"mer_a\", \"payment_id\": \"pay_x\"}");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).contains("\"number\":\"" + VISA + "\"").contains("\"cvc\":\"123\"");
        HttpResponse<String> second = as(Identities.AUTH).postJson("/internal/v1/tokens/" + token + "/detokenize",
                "{\"merchant_id\": \"mer_a\", \"payment_id\": \"pay_x\"}");
        assertThat(second.body()).contains("\"number\":\"" + VISA + "\"").contains("\"cvc\":null");
    }

    @Test
    void aTokensFirstDetokenizationReadsTheRowThisVaultWroteFromMemoryAndAuditsIt() throws Exception {
        String token = (String) tokenize("mer_a", VISA).get("token");
        // The row gone from the database: only the vault's memory can answer now.
        try (Connection connection = TestPostgres.server().getDatabase("postgres", "vault").getConnection();
             Statement statement = connection.createStatement()) {
            assertThat(statement.executeUpdate("DELETE FROM card_tokens WHERE token = '" + token + "'")).isEqualTo(1);
        }
        // another merchant neither finds it nor takes it
        assertThat(as(Identities.AUTH).postJson("/internal/v1/tokens/" + token + "/detokenize",
                "{\"merchant_id\": \"mer_b\", \"payment_id\": \"pay_m\"}").statusCode()).isEqualTo(404);
        HttpResponse<String> first = as(Identities.AUTH).postJson("/internal/v1/tokens/" + token + "/detokenize",
                "{\"merchant_id\": \"mer_a\", \"payment_id\": \"pay_m\"}");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(first.body()).contains("\"number\":\"" + VISA + "\"").contains("\"cvc\":\"123\"");
        try (Connection connection = TestPostgres.server().getDatabase("postgres", "vault").getConnection();
             Statement statement = connection.createStatement();
             ResultSet audited = statement.executeQuery(
                     "SELECT count(*) FROM audit_log WHERE action = 'card.detokenize' AND subject = '" + token + "'")) {
            assertThat(audited.next()).isTrue();
            assertThat(audited.getInt(1)).isEqualTo(1);
        }
        // held once: the next detokenization reads the database, which no longer has the row
        assertThat(as(Identities.AUTH).postJson("/internal/v1/tokens/" + token + "/detokenize",
                "{\"merchant_id\": \"mer_a\", \"payment_id\": \"pay_m\"}").statusCode()).isEqualTo(404);
    }

    @Test
    void onlyAuthServiceMayDetokenize() {
        String token = (String) tokenize("mer_a", VISA).get("token");
        for (String caller : new String[] {Identities.GATEWAY, Identities.TRANSACTION, Identities.RISK, Identities.OPERATOR}) {
            HttpResponse<String> response = as(caller).postJson("/internal/v1/tokens/" + token + "/detokenize",
                    "{\"merchant_id\": \"mer_a\"}");
            assertThat(response.statusCode()).as(caller).isEqualTo(403);
            assertThat(response.body()).doesNotContain(VISA);
        }
    }

    @Test
    void certificateNamingAuthServiceButIssuedByAnotherCaIsRefused() throws Exception {
        String token = (String) tokenize("mer_a", VISA).get("token");
        // A look-alike: same workload name, same SPIFFE id, signed by a CA the fleet does not trust.
        Path foreign = Files.createTempDirectory("foreign-ca");
        LocalCertificateAuthority.openOrCreate(foreign).issue(Identities.AUTH);
        Files.copy(TestTls.dir().resolve("ca.crt"), foreign.resolve("ca.crt"), StandardCopyOption.REPLACE_EXISTING);
        TestHttp impostor = TestHttp.withTls("https://localhost:" + port, TlsContexts.forWorkload(foreign, Identities.AUTH));
        assertThatThrownBy(() -> impostor.postJson("/internal/v1/tokens/" + token + "/detokenize", "{\"merchant_id\": \"mer_a\"}"))
                .hasRootCauseInstanceOf(javax.net.ssl.SSLException.class);
    }

    @Test
    void internalServicesSpeakTls13Only() throws Exception {
        javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLSv1.2");
        context.init(null, TestTls.trustManagers(), null);
        try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) context.getSocketFactory().createSocket("localhost", port)) {
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            assertThatThrownBy(socket::startHandshake).isInstanceOf(javax.net.ssl.SSLException.class);
        }
    }

    @Test
    void anotherMerchantsTokenIsNotFound() {
        String token = (String) tokenize("mer_a", VISA).get("token");
        assertThat(as(Identities.AUTH).postJson("/internal/v1/tokens/" + token + "/detokenize",
                "{\"merchant_id\": \"mer_b\"}").statusCode()).isEqualTo(404);
        assertThat(as(Identities.GATEWAY).get("/internal/v1/tokens/" + token + "?merchant_id=mer_b").statusCode()).isEqualTo(404);
        assertThat(as(Identities.GATEWAY).get("/internal/v1/tokens/" + token + "?merchant_id=mer_a").body()).contains("\"last4\":\"4242\"");
    }

    @Test
    void invalidCardNumberIsRejectedNamingTheField() {
        HttpResponse<String> response = as(Identities.GATEWAY).postJson("/internal/v1/tokens",
                "{\"merchant_id\": \"mer_a\", \"number\": \"4242424242424241\", \"exp_month\": 12, \"exp_year\": 2030}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"param\":\"number\"").doesNotContain("4242424242424241");
    }
}
