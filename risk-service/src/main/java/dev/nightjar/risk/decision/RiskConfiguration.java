package dev.nightjar.risk.decision;

import dev.nightjar.common.batch.BatchWriter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

@Configuration(proxyBeanMethods = false)
class RiskConfiguration {

    @Bean
    RiskEngine riskEngine(RiskProperties properties) {
        return new RiskEngine(properties);
    }

    @Bean
    BatchWriter<DecisionController.LoggedDecision> decisionLog(JdbcTemplate jdbc, MeterRegistry meters) {
        return new BatchWriter<>("risk-decisions", 100_000, 500, Duration.ofMillis(50),
                batch -> insert(jdbc, batch), meters);
    }

    private static void insert(JdbcTemplate jdbc, List<DecisionController.LoggedDecision> batch) {
        jdbc.batchUpdate("""
                        INSERT INTO risk_decisions (payment_id, merchant_id, score, decision, reasons, amount_minor, currency)
                        VALUES (?, ?, ?, ?, ?, ?, ?)""", batch, batch.size(), (statement, logged) -> {
                    statement.setString(1, logged.request().paymentId());
                    statement.setString(2, logged.request().merchantId());
                    statement.setInt(3, logged.decision().score());
                    statement.setString(4, logged.decision().decision());
                    statement.setArray(5, statement.getConnection().createArrayOf("text",
                            logged.decision().reasons().toArray()));
                    statement.setLong(6, logged.request().amountMinor());
                    statement.setString(7, logged.request().currency());
                });
    }
}
