package dev.nightjar.gateway;

import dev.nightjar.common.audit.AuditConfiguration;
import dev.nightjar.gateway.idempotency.GatewaySecrets;
import dev.nightjar.gateway.idempotency.IdempotencyKeys;
import dev.nightjar.gateway.idempotency.IdempotentRequests;
import dev.nightjar.gateway.merchant.Merchants;
import dev.nightjar.gateway.payment.PaymentRequestValidator;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
@Import(AuditConfiguration.class)
class GatewayConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    Merchants merchants(JdbcClient jdbc, TransactionTemplate transactions, PasswordEncoder passwords) {
        return new Merchants(jdbc, transactions, passwords);
    }

    @Bean
    IdempotencyKeys idempotencyKeys(JdbcClient jdbc, GatewayProperties properties) {
        return new IdempotencyKeys(jdbc, GatewaySecrets.getOrCreate(jdbc, "idempotency-request-hash", 32),
                properties.idempotencyLock());
    }

    @Bean
    IdempotentRequests idempotentRequests(IdempotencyKeys keys) {
        return new IdempotentRequests(keys);
    }

    @Bean
    PaymentRequestValidator paymentRequestValidator(Clock clock) {
        return new PaymentRequestValidator(clock);
    }
}
