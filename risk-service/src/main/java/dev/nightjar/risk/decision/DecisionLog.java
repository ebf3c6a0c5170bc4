package dev.nightjar.risk.decision;

import dev.nightjar.common.jdbc.SqlArrays;
import dev.nightjar.contracts.contract.RiskContract.Decision;
import dev.nightjar.contracts.contract.RiskContract.DecisionRequest;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The {@code risk_decisions} table: every synchronous decision with what it was asked (written in batches,
 * off the request path), and, read back, what re-scoring needs of a request that payment events do not
 * carry (BIN, IP address, countries).
 */
public final class DecisionLog {

    /** A logged decision and what it was asked. */
    public record LoggedDecision(DecisionRequest request, Decision decision) {
    }

    /** What the synchronous request knew about a payment beyond its events. */
    public record DecisionContext(String paymentId, String cardBin, String cardLast4, String customerIp,
                                  String ipCountry, String cardCountry, int score, String decision) {
    }

    private final JdbcTemplate jdbcTemplate;
    private final JdbcClient jdbc;

    public DecisionLog(JdbcTemplate jdbcTemplate) {
        this.jdbcTemplate = jdbcTemplate;
        this.jdbc = JdbcClient.create(jdbcTemplate);
    }

    public void insert(List<LoggedDecision> batch) {
        jdbcTemplate.batchUpdate("""
                        INSERT INTO risk_decisions (payment_id, merchant_id, score, decision, reasons, amount_minor, currency,
                                                    card_bin, card_last4, customer_ip, ip_country, card_country)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", batch, batch.size(), (statement, logged) -> {
                    DecisionRequest request = logged.request();
                    statement.setString(1, request.paymentId());
                    statement.setString(2, request.merchantId());
                    statement.setInt(3, logged.decision().score());
                    statement.setString(4, logged.decision().decision().wire());
                    statement.setArray(5, statement.getConnection().createArrayOf("text",
                            logged.decision().reasons().toArray()));
                    statement.setLong(6, request.amountMinor());
                    statement.setString(7, request.currency());
                    statement.setString(8, request.card() == null ? null : request.card().bin());
                    statement.setString(9, request.card() == null ? null : request.card().last4());
                    statement.setString(10, request.customerIp());
                    statement.setString(11, request.ipCountry());
                    statement.setString(12, request.cardCountry());
                });
    }

    /** The latest logged request context of each payment found among {@code paymentIds}. */
    public Map<String, DecisionContext> contexts(Collection<String> paymentIds) {
        Map<String, DecisionContext> contexts = new HashMap<>();
        if (paymentIds.isEmpty()) {
            return contexts;
        }
        jdbc.sql("""
                        SELECT DISTINCT ON (payment_id) payment_id, card_bin, card_last4, customer_ip, ip_country,
                               card_country, score, decision
                        FROM risk_decisions WHERE payment_id = ANY (CAST(:ids AS text[]))
                        ORDER BY payment_id, decided_at DESC""")
                .param("ids", SqlArrays.text(paymentIds))
                .query((rs, n) -> new DecisionContext(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getInt(7), rs.getString(8)))
                .list()
                .forEach(context -> contexts.put(context.paymentId(), context));
        return contexts;
    }
}
