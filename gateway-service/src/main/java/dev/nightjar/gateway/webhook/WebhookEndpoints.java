package dev.nightjar.gateway.webhook;

import dev.nightjar.common.error.ApiException;
import dev.nightjar.common.jdbc.SqlArrays;
import dev.nightjar.contracts.id.Ids;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** A merchant's webhook endpoints, in the gateway's database. */
public final class WebhookEndpoints {

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final WebhookSecrets secrets;
    private final int maxPerMerchant;

    public WebhookEndpoints(JdbcClient jdbc, TransactionTemplate transactions, WebhookSecrets secrets, int maxPerMerchant) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.secrets = secrets;
        this.maxPerMerchant = maxPerMerchant;
    }

    public record Endpoint(String id, String url, List<String> events, Instant created) {
    }

    /** A new endpoint and its secret, which is never shown again. */
    public record Created(Endpoint endpoint, String secret) {
    }

    public Created create(String merchantId, String url, List<String> events) {
        String id = Ids.newId(Ids.WEBHOOK_ENDPOINT);
        String secret = WebhookSecrets.newSecret();
        byte[] sealed = secrets.seal(id, secret);
        return transactions.execute(status -> {
            // the merchant row is the lock that keeps two concurrent creations from both passing the limit
            jdbc.sql("SELECT 1 FROM merchants WHERE id = :merchant FOR UPDATE").param("merchant", merchantId).query().listOfRows();
            long existing = jdbc.sql("SELECT count(*) FROM webhook_endpoints WHERE merchant_id = :merchant AND deleted_at IS NULL")
                    .param("merchant", merchantId).query(Long.class).single();
            if (existing >= maxPerMerchant) {
                throw ApiException.invalidParameter("url", "A merchant may have at most " + maxPerMerchant
                        + " webhook endpoints; delete one first.");
            }
            Instant created = jdbc.sql("""
                            INSERT INTO webhook_endpoints (id, merchant_id, url, events, secret_ciphertext)
                            VALUES (:id, :merchant, :url, CAST(:events AS text[]), :secret) RETURNING created_at""")
                    .param("id", id).param("merchant", merchantId).param("url", url)
                    .param("events", SqlArrays.text(events)).param("secret", sealed)
                    .query((rs, n) -> rs.getTimestamp(1).toInstant()).single();
            return new Created(new Endpoint(id, url, List.copyOf(events), created), secret);
        });
    }

    public List<Endpoint> list(String merchantId) {
        return jdbc.sql("""
                        SELECT id, url, events, created_at FROM webhook_endpoints
                        WHERE merchant_id = :merchant AND deleted_at IS NULL ORDER BY id DESC""")
                .param("merchant", merchantId)
                .query((rs, n) -> endpoint(rs))
                .list();
    }

    /** Deletes (marks deleted: deliveries already recorded keep their endpoint); false when there is none. */
    public boolean delete(String merchantId, String id) {
        return jdbc.sql("""
                        UPDATE webhook_endpoints SET deleted_at = now()
                        WHERE id = :id AND merchant_id = :merchant AND deleted_at IS NULL""")
                .param("id", id).param("merchant", merchantId).update() == 1;
    }

    public String secret(String endpointId, byte[] sealed) {
        return secrets.open(endpointId, sealed);
    }

    private static Endpoint endpoint(ResultSet rs) throws SQLException {
        Array events = rs.getArray(3);
        return new Endpoint(rs.getString(1), rs.getString(2), List.of((String[]) events.getArray()),
                rs.getTimestamp(4).toInstant());
    }
}
