package dev.nightjar.gateway;

import java.time.Duration;
import org.springframework.util.unit.DataSize;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param issuer          the issuer named in (and required of) access tokens
 * @param accessTokenTtl  lifetime of an access token
 * @param idempotencyLock how long an in-flight request holds its idempotency key before a retry may take over
 * @param idempotencyTtl  how long an idempotency key and its response are kept (API.md: at least 24 hours)
 * @param maxBodySize     the largest request body accepted (API.md: 16 KiB; 413 beyond)
 * @param rateLimit       requests per second per merchant, unless an operator set the merchant's own
 * @param rateLimitBurst  the burst allowed on top of the rate, unless an operator set the merchant's own
 * @param transactionCalls merchant requests let at transaction-service at once when it has just come back (or
 *                        the gateway has just started); past them a fast 503 ({@code ServiceGate})
 * @param vaultCalls      the same, at the vault
 * @param warmCalls       the bound both grow to while the service keeps answering
 * @param warmUp          how long a service that came back answers before its bound is {@code warmCalls}
 * @param requestBudget   how long a merchant's request may take, its calls to other services included; past
 *                        it a 503 with Retry-After ({@code RequestBudgetFilter})
 */
@ConfigurationProperties("nightjar.gateway")
public record GatewayProperties(
        @DefaultValue("https://localhost:8443") String issuer,
        @DefaultValue("1h") Duration accessTokenTtl,
        @DefaultValue("60s") Duration idempotencyLock,
        @DefaultValue("24h") Duration idempotencyTtl,
        @DefaultValue("16KB") DataSize maxBodySize,
        @DefaultValue("1000") int rateLimit,
        @DefaultValue("2000") int rateLimitBurst,
        @DefaultValue("64") int transactionCalls,
        @DefaultValue("32") int vaultCalls,
        @DefaultValue("128") int warmCalls,
        @DefaultValue("60s") Duration warmUp,
        @DefaultValue("6s") Duration requestBudget) {
}
