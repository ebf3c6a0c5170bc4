package dev.nightjar.common.audit;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The audit log for a service that keeps one ({@code @Import(AuditConfiguration.class)}, and the
 * {@code audit_log} table through a {@code SharedSqlMigration}): the appender, the verifier, and
 * {@code GET /internal/v1/audit/verify} for operators.
 */
@Configuration(proxyBeanMethods = false)
@Import(AuditVerifyController.class)
public class AuditConfiguration {

    @Bean
    AuditLog auditLog(DataSource dataSource, MeterRegistry meters) {
        return new AuditLog(dataSource, Clock.systemUTC(), meters);
    }

    @Bean
    AuditChainVerifier auditChainVerifier(DataSource dataSource) {
        return new AuditChainVerifier(JdbcClient.create(dataSource));
    }
}
