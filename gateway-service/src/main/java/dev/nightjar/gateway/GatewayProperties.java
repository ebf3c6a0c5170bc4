package dev.nightjar.gateway;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param issuer          the issuer named in (and required of) access tokens
 * @param accessTokenTtl  lifetime of an access token
 * @param idempotencyLock how long an in-flight request holds its idempotency key before a retry may take over
 */
@ConfigurationProperties("nightjar.gateway")
public record GatewayProperties(
        @DefaultValue("https://localhost:8443") String issuer,
        @DefaultValue("1h") Duration accessTokenTtl,
        @DefaultValue("60s") Duration idempotencyLock) {
}
