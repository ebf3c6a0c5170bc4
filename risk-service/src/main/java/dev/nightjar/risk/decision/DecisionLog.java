package dev.nightjar.risk.decision;

import dev.nightjar.common.contract.RiskContract.Decision;
import dev.nightjar.common.contract.RiskContract.DecisionRequest;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/** The {@code risk_decisions} table: every synchronous decision with what it was asked, written in batches off the request path. */
public final class DecisionLog {

    /** A logged decision and what it was asked. */
    public record LoggedDecision(DecisionRequest request, Decision decision) {
    }

    private final JdbcTemplate jdbcTemplate;

    public DecisionLog(JdbcTemplate jdbcTemplate) {
        this.jdbcTemplate = jdbcTemplate;
    }

    public void insert(List<LoggedDecision> batch) {
        jdbcTemplate.batchUpdate("""
                        INSERT INTO risk_decisions (payment_id, merchant_id, score, decision, reasons, amount_minor, currency)
                        VALUES (?, ?, ?, ?, ?, ?, ?)""", batch, batch.size(), (statement, logged) -> {
                    DecisionRequest request = logged.request();
                    statement.setString(1, request.paymentId());
                    statement.setString(2, request.merchantId());
                    statement.setInt(3, logged.decision().score());
                    statement.setString(4, logged.decision().decision());
                    statement.setArray(5, statement.getConnection().createArrayOf("text",
                            logged.decision().reasons().toArray()));
                    statement.setLong(6, request.amountMinor());
                    statement.setString(7, request.currency());
                });
    }
}
