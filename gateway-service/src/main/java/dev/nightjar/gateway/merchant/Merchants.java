package dev.nightjar.gateway.merchant;

import dev.nightjar.common.jdbc.SqlArrays;
import dev.nightjar.contracts.id.Ids;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.transaction.support.TransactionTemplate;

/** Merchants and their OAuth2 clients. A client secret is shown once, at creation, and kept only as a hash. */
public final class Merchants {

    public static final List<String> SCOPES = List.of("payments:read", "payments:write");
    private static final char[] SECRET_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final int SECRET_LENGTH = 40;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final PasswordEncoder passwords;
    private final SecureRandom random = new SecureRandom();

    public Merchants(JdbcClient jdbc, TransactionTemplate transactions, PasswordEncoder passwords) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.passwords = passwords;
    }

    /** A new merchant with one client; the secret in the answer exists nowhere else. */
    public record CreatedMerchant(String merchantId, String name, String clientId, String clientSecret, List<String> scopes) {
    }

    public record Merchant(String id, String name, String status) {
    }

    /** A client as the authorization server needs it. */
    public record Client(String clientId, String merchantId, String secretHash, List<String> scopes) {
    }

    public CreatedMerchant create(String name) {
        String merchantId = Ids.newId(Ids.MERCHANT);
        String clientId = Ids.newId(Ids.CLIENT);
        String secret = "njs_" + randomSecret();
        String hash = passwords.encode(secret);
        transactions.executeWithoutResult(status -> {
            jdbc.sql("INSERT INTO merchants (id, name) VALUES (:id, :name)")
                    .param("id", merchantId).param("name", name).update();
            jdbc.sql("""
                            INSERT INTO merchant_clients (client_id, merchant_id, secret_hash, scopes)
                            VALUES (:client, :merchant, :hash, CAST(:scopes AS text[]))""")
                    .param("client", clientId).param("merchant", merchantId).param("hash", hash)
                    .param("scopes", SqlArrays.text(SCOPES)).update();
        });
        return new CreatedMerchant(merchantId, name, clientId, secret, SCOPES);
    }

    public Optional<Merchant> find(String merchantId) {
        return jdbc.sql("SELECT id, name, status FROM merchants WHERE id = :id").param("id", merchantId)
                .query((rs, n) -> new Merchant(rs.getString(1), rs.getString(2), rs.getString(3)))
                .optional();
    }

    /** An active client of an active merchant. */
    public Optional<Client> client(String clientId) {
        return jdbc.sql("""
                        SELECT c.client_id, c.merchant_id, c.secret_hash, c.scopes FROM merchant_clients c
                        JOIN merchants m ON m.id = c.merchant_id
                        WHERE c.client_id = :client AND c.revoked_at IS NULL AND m.status = 'active'""")
                .param("client", clientId)
                .query((rs, n) -> new Client(rs.getString(1), rs.getString(2), rs.getString(3),
                        List.of((String[]) rs.getArray(4).getArray())))
                .optional();
    }

    private String randomSecret() {
        char[] out = new char[SECRET_LENGTH];
        for (int i = 0; i < out.length; i++) {
            out[i] = SECRET_ALPHABET[random.nextInt(SECRET_ALPHABET.length)];
        }
        return new String(out);
    }
}
